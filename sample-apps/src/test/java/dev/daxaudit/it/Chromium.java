package dev.daxaudit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Real headless Chromium, driven over the Chrome DevTools Protocol: load a page from a file URL with the network
 * off, evaluate script in it (to click, sort and measure), take a screenshot, and collect every console message and
 * uncaught exception. {@code .ci/run} installs Debian's chromium; elsewhere a missing browser skips the test with a
 * message, and fails it under {@code CI=true}.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> console = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
    private int nextId;

    private Chromium(Process process, WebSocket.Builder builder, URI page) throws Exception {
        this.process = process;
        this.socket = builder.buildAsync(page, new Listener()).get(30, TimeUnit.SECONDS);
        send("Page.enable", null);
        send("Runtime.enable", null);
        send("Log.enable", null);
    }

    static Path binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium is not installed; .ci/run installs Debian's chromium package");
        }
        Assumptions.abort("chromium is not installed (apt-get install chromium, as .ci/run does): test skipped");
        return null;
    }

    static Chromium start(Path tmp, int width, int height) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"), "--window-size=" + width + "," + height,
                "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String browser = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (String line; browser == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browser = m.group(1);
            }
        }
        if (browser == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not open its DevTools port");
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // keep the pipe from filling
                }
            } catch (IOException ignored) {
                // the browser ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        URI base = URI.create(browser.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", ""));
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                return new Chromium(p, http.newWebSocketBuilder(), URI.create(t.path("webSocketDebuggerUrl").asText()));
            }
        }
        p.destroyForcibly();
        throw new AssertionError("chromium has no page target: " + targets);
    }

    /** Loads {@code file} and waits for its load event; returns the milliseconds from navigation to load end. */
    double load(Path file) throws Exception {
        loaded = new CompletableFuture<>();
        ObjectNode params = JSON.createObjectNode().put("url", file.toUri().toString());
        send("Page.navigate", params);
        loaded.get(60, TimeUnit.SECONDS);
        return evaluate("(function(){var n=performance.getEntriesByType('navigation')[0];"
                + "return n.loadEventEnd-n.startTime;})()").asDouble();
    }

    /** The value of a script expression in the page. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    byte[] screenshot() throws Exception {
        JsonNode r = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", false));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    /** Console messages, uncaught exceptions and log entries seen so far. */
    List<String> console() {
        return List.copyOf(console);
    }

    private synchronized JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ++nextId;
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.path("error"));
        }
        return r.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    dispatch(JSON.readTree(text.toString()));
                } catch (IOException e) {
                    console.add("unreadable DevTools message: " + e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void dispatch(JsonNode m) {
            if (m.has("id")) {
                CompletableFuture<JsonNode> reply = pending.remove(m.path("id").asInt());
                if (reply != null) {
                    reply.complete(m);
                }
                return;
            }
            switch (m.path("method").asText()) {
                case "Page.loadEventFired":
                    loaded.complete(null);
                    break;
                case "Runtime.consoleAPICalled":
                    console.add("console." + m.path("params").path("type").asText() + ": " + m.path("params"));
                    break;
                case "Runtime.exceptionThrown":
                    console.add("exception: " + m.path("params").path("exceptionDetails"));
                    break;
                case "Log.entryAdded":
                    console.add("log: " + m.path("params").path("entry"));
                    break;
                default:
                    break;
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
        // The whole tree: a renderer or crashpad helper left running keeps writing into the profile directory while
        // the test's temporary directory is deleted (CI saw "Failed to delete temp directory ... chromium.../Default").
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // gone or stuck: the temporary directory's removal will say which
            }
        }
    }
}
