#!/usr/bin/env bash
# Prepares what the fs-dax guest needs, from Debian packages only, and prints "KERNEL=<path>", "INITRD=<path>" and
# "KVER=<version>". Installs qemu-system-x86, busybox-static, kmod, cpio, e2fsprogs, xfsprogs and dmsetup if missing;
# downloads the kernel that linux-image-amd64 depends on today (found by name, as old builds leave the mirror), from
# the machine's own suites or, with a second argument such as bookworm-backports, from that suite (read through a
# private apt state under the cache: the machine's apt sources are not touched); unpacks it (compressed modules
# are decompressed, busybox loads plain ones) and builds a busybox initramfs with the modules for pmem, DAX, 9p,
# ext4, xfs and dm-log-writes (the device-mapper target that logs every write a disk completes, in flush order).
# Cached under $1 (default ~/.cache/dax-audit/dax-vm) per kernel version, so a second run takes no time. One line on stderr and exit 3 when something cannot be had (no apt, no network): the tests then skip with
# that line. Usage: prepare.sh [cache-dir] [suite]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-$HOME/.cache/dax-audit/dax-vm}"
suite="${2:-}"
say() { echo "dax-vm: $*" >&2; }
packages=(qemu-system-x86 busybox-static kmod cpio e2fsprogs xfsprogs dmsetup)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  mkdir -p "$cache"
  log="$cache/apt-install.log"
  say "installing ${missing[*]} with apt-get for the fs-dax guest tests (its output: $log)"
  if ! { $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1 \
         || { $sudo apt-get update -q >>"$log" 2>&1 \
              && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; }; }; then
    say "cannot install ${missing[*]} with apt-get (see $log)"; exit 3
  fi
fi
apt_opts=()
if [ -n "$suite" ]; then
  state="$cache/apt-$suite"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
  echo "deb http://deb.debian.org/debian $suite main" > "$state/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
  if [ -z "$(find "$state/lists" -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get -q "${apt_opts[@]}" update >/dev/null 2>&1 || { say "cannot read the $suite suite"; exit 3; }
  fi
fi
image="$(apt-cache "${apt_opts[@]}" depends linux-image-amd64 2>/dev/null \
         | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)"
[ -n "$image" ] || { say "apt knows no linux-image-amd64${suite:+ in $suite} (apt-get update?)"; exit 3; }
kver="${image#linux-image-}"
dir="$cache/$kver"
# The initramfs is named by what builds it (this script and init): a changed module list or init builds a new one.
stamp="$(cat "$0" "$here/init" | sha256sum | cut -c1-12)"
initramfs="$dir/initramfs-$stamp.cpio.gz"
if [ ! -f "$dir/kern/lib/modules/$kver/modules.dep" ]; then # depmod, the last step of unpacking
  rm -rf "$dir" && mkdir -p "$dir/kern"
  (cd "$dir" && apt-get "${apt_opts[@]}" download "$image" >/dev/null 2>&1) || { say "cannot download $image"; exit 3; }
  dpkg-deb -x "$dir"/"$image"_*.deb "$dir/kern"
  rm -f "$dir"/*.deb
  find "$dir/kern/lib/modules" -name '*.ko.xz' -exec xz -d {} +
  find "$dir/kern/lib/modules" -name '*.ko.zst' -exec zstd -q -d --rm {} + 2>/dev/null || true
  depmod -b "$dir/kern" "$kver"
fi
if [ ! -f "$initramfs" ]; then
  mods="$dir/kern/lib/modules/$kver"
  root="$dir/initramfs.$$"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,proc,sys,dev,host,newroot} "$root/lib/modules/$kver"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"; done
  ln -sf ../bin/busybox "$root/sbin/modprobe"
  for m in loop nd_e820 nd_pmem nfit virtio_pci virtio_blk 9pnet_virtio 9p crc32c_intel crc32c_generic ext4 xfs dm_mod dm_log_writes; do
    line="$(grep -E "/$(echo "$m" | sed 's/_/[_-]/g')\.ko:" "$mods/modules.dep" || true)"
    [ -n "$line" ] || continue
    for p in ${line%%:*} ${line#*:}; do
      mkdir -p "$root/lib/modules/$kver/$(dirname "$p")"
      cp "$mods/$p" "$root/lib/modules/$kver/$p"
    done
  done
  cp "$mods"/modules.{dep,alias,builtin,order,softdep} "$root/lib/modules/$kver/" 2>/dev/null || true
  cp "$here/init" "$root/init" && chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$initramfs.tmp"
  mv "$initramfs.tmp" "$initramfs"
  rm -rf "$root"
fi
echo "KERNEL=$dir/kern/boot/vmlinuz-$kver"
echo "INITRD=$initramfs"
echo "KVER=$kver"
