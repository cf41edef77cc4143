#!/usr/bin/env bash
# Boots the fs-dax guest once: runs <work>/guest.sh inside it and leaves its output in <work>/out (guest.log, rc,
# and whatever the script writes to /share/out). Usage: boot.sh <work> <kernel> <initrd> [timeout-seconds [disk...]]
# Software emulation (TCG) with a fixed CPU model without AVX (JVMs crashed in fresh C1 code under -cpu max), on one
# host thread (thread=single): with a thread per vCPU, a JVM died of SIGSEGV, SIGILL or SIGTRAP in C1 code it had
# just written, about 6 of 40 guest runs (code written on one vCPU while the other ran it); on one thread, 0 of 18
# in DaxGuestIT and none in GuestCrashIT, for 13-25% more time. 2 GiB
# of memory of which 512 MiB are emulated pmem (/dev/pmem0, memmap=512M!1G). Exit status: the guest script's, 124
# when the outer timeout ended the guest, 125 when it ended without a status. From the fifth argument on, raw disk
# images the guest sees as /dev/vda, /dev/vdb, ... (virtio, cache=none: what the guest wrote to them is in the file,
# and a guest crash loses only what the guest had not written: its page cache). With DAX_VM_MEMORY=<file>, the
# guest's memory is that file (shared): the emulated pmem in it keeps what the guest stored there from one boot to the
# next, as a warm reboot keeps a memmap= region, so a crashed fs-dax filesystem can be mounted again.
set -uo pipefail
work="$(cd "$1" && pwd)"; kernel="$2"; initrd="$3"; limit="${4:-600}"
drive=(); for disk in "${@:5}"; do drive+=(-drive "file=$disk,format=raw,if=virtio,cache=none"); done
machine=(-machine pc)
if [ -n "${DAX_VM_MEMORY:-}" ]; then
  machine=(-object "memory-backend-file,id=ram,size=2G,mem-path=$DAX_VM_MEMORY,share=on" -machine pc,memory-backend=ram)
fi
mkdir -p "$work/out"; rm -f "$work/out/rc"
timeout --kill-after=10 "$limit" qemu-system-x86_64 -accel tcg,thread=single \
  -cpu qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt,+clflushopt,+clwb "${machine[@]}" -m 2G -smp 2 \
  -nographic -no-reboot -net none -kernel "$kernel" -initrd "$initrd" "${drive[@]}" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 memmap=512M!1G" \
  -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on \
  -virtfs local,path="$work",mount_tag=work,security_model=none \
  -serial file:"$work/out/console.log" -display none -monitor none </dev/null >/dev/null 2>&1
status=$?
[ $status -eq 124 ] || [ $status -eq 137 ] && { echo "dax-vm: the guest did not finish within $limit s" >&2; exit 124; }
[ -f "$work/out/rc" ] || { echo "dax-vm: the guest ended without a status (see $work/out/console.log)" >&2; exit 125; }
exit "$(cat "$work/out/rc")"
