package io.edgegate.controlplane.console;

import static io.edgegate.controlplane.admin.AdminResponses.answer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.controlplane.admin.AdminPages;
import io.edgegate.controlplane.cluster.ClusterChanges;
import io.edgegate.controlplane.cluster.ClusterOverview;
import io.edgegate.controlplane.cluster.ClusterView;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.security.Caller;
import io.edgegate.controlplane.security.TokenSessions;
import io.edgegate.controlplane.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.controlplane.security.FailedAuthentications;
import java.util.List;

/**
 * The read-only cluster console under {@code /ui/} on the admin listener: the page, a login that
 * exchanges a token for an HttpOnly, SameSite=Strict session cookie, the cluster as it is now, and
 * its changes as server-sent events that resume from the last event a browser saw.
 */
public final class Console implements AdminPages {

    private static final Logger log = LoggerFactory.getLogger(Console.class);
    static final String COOKIE = "edgegate_console";
    /** Streams held open at once; each holds a thread of the admin listener. */
    public static final int MAX_STREAMS = 32;
    static final int JOURNAL_EVENTS = 4_096;
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    private static final int MAX_LOGIN_BYTES = 8_192;
    private static final String SECURITY_HEADERS_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final ConsoleSessions sessions;
    private final ConsoleViews views;
    private final EventJournal<ClusterEvent> journal;
    private final ClusterChanges changes;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    /** As the gRPC API limits them: a guessed token or session costs an etcd read, and nobody may make thousands. */
    private final FailedAuthentications failures =
            new FailedAuthentications();

    private Console(ConsoleSessions sessions, ConsoleViews views, EventJournal<ClusterEvent> journal, ClusterChanges changes) {
        this.sessions = sessions;
        this.views = views;
        this.journal = journal;
        this.changes = changes;
    }

    /** Starts recording the cluster's events for consoles; {@code tokens} empty for an insecure control plane. */
    public static Console start(ClusterView view, ConfigCache cache, ClusterOverview overview, Optional<TokenSessions> tokens, Clock clock) {
        ConsoleViews views = new ConsoleViews(overview);
        EventJournal<ClusterEvent> journal = new EventJournal<>(JOURNAL_EVENTS);
        // Kept as messages: JSON is written by the streams' threads, never by the thread that tells of config changes.
        ClusterChanges changes = new ClusterChanges(view, cache, event -> journal.append(event.setAtMillis(clock.millis()).build()));
        changes.start();
        return new Console(new ConsoleSessions(tokens, clock), views, journal, changes);
    }

    @Override
    public void register(HttpServer server) {
        server.createContext("/ui", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (StoreUnavailableException e) {
                answer(exchange, 503, "application/json", error("the store is unreachable, so the token cannot be checked: " + e.getMessage()));
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        exchange.getResponseHeaders().set("Content-Security-Policy", SECURITY_HEADERS_CSP);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (path.equals("/ui")) {
            exchange.getResponseHeaders().set("Location", "/ui/");
            answer(exchange, 308, "text/plain", "");
            return;
        }
        if (!path.startsWith("/ui/")) {
            answer(exchange, 404, "text/plain", "not found\n");
            return;
        }
        String name = path.substring("/ui/".length());
        if (name.startsWith("api/")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            api(exchange, name.substring("api/".length()), method);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            notAllowed(exchange, "GET");
            return;
        }
        Optional<ConsoleAssets.Asset> asset = assets.find(name);
        if (asset.isEmpty()) {
            answer(exchange, 404, "text/plain", "not found\n");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        answer(exchange, 200, asset.get().contentType(), asset.get().bytes());
    }

    private void api(HttpExchange exchange, String call, String method) throws IOException {
        switch (call) {
            case "login" -> {
                if (method.equals("POST")) {
                    login(exchange);
                } else {
                    notAllowed(exchange, "POST");
                }
            }
            case "logout" -> {
                if (method.equals("POST") && !sameOrigin(exchange)) {
                    answer(exchange, 403, "application/json", error("a logout from another site's page is refused"));
                } else if (method.equals("POST")) {
                    sessionId(exchange).ifPresent(sessions::logout);
                    exchange.getResponseHeaders().add("Set-Cookie", cookie(exchange, "", 0));
                    answer(exchange, 204, "text/plain", "");
                } else {
                    notAllowed(exchange, "POST");
                }
            }
            case "session", "cluster", "events" -> {
                if (!method.equals("GET")) {
                    notAllowed(exchange, "GET");
                    return;
                }
                String address = exchange.getRemoteAddress().getAddress().getHostAddress();
                if (failures.tooMany(address)) {
                    answer(exchange, 429, "application/json", error("too many failed logins or sessions from " + address
                            + "; wait a second"));
                    return;
                }
                Optional<String> sessionId = sessionId(exchange);
                Optional<Caller> caller = sessions.caller(sessionId);
                if (caller.isEmpty()) {
                    if (sessionId.isPresent()) {
                        failures.failed(address); // a session that is not (or no longer) one: a guess, or an old cookie
                    }
                    answer(exchange, 401, "application/json", error("log in with a token"));
                } else if (call.equals("session")) {
                    answer(exchange, 200, "application/json", "{\"name\":" + ConsoleViews.quote(caller.get().name())
                            + ",\"role\":" + ConsoleViews.quote(caller.get().role().label()) + ",\"insecure\":" + sessions.open() + "}");
                } else if (call.equals("cluster")) {
                    String eventId = journal.lastId();
                    answer(exchange, 200, "application/json", views.cluster(caller.get(), sessions.open(), eventId));
                } else {
                    events(exchange);
                }
            }
            default -> answer(exchange, 404, "application/json", error("no such call"));
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        if (!sameOrigin(exchange)) {
            answer(exchange, 403, "application/json", error("a login from another site's page is refused"));
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_LOGIN_BYTES + 1);
        }
        if (body.length > MAX_LOGIN_BYTES) {
            answer(exchange, 413, "application/json", error("the login form is too large"));
            return;
        }
        String token = formField(new String(body, StandardCharsets.UTF_8), "token").orElse("");
        String from = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (failures.tooMany(from)) {
            answer(exchange, 429, "application/json", error("too many failed logins from " + from + "; wait a second"));
            return;
        }
        ConsoleSessions.Login outcome = sessions.login(token);
        if (outcome.session().isPresent()) {
            TokenSessions.Session session = outcome.session().get();
            log.info("console login as token {} ({}) from {}", session.caller().name(), session.caller().role().label(), from);
            long maxAge = Math.max(0, (session.expiresAtMillis() - System.currentTimeMillis()) / 1000);
            exchange.getResponseHeaders().add("Set-Cookie", cookie(exchange, session.value(), maxAge));
            answer(exchange, 200, "application/json", "{\"name\":" + ConsoleViews.quote(session.caller().name())
                    + ",\"role\":" + ConsoleViews.quote(session.caller().role().label()) + "}");
        } else {
            failures.failed(from);
            log.warn("console login refused from {}: {}", from, outcome.refusal());
            answer(exchange, 401, "application/json", error(outcome.refusal()));
        }
    }

    /** Server-sent events from the browser's last event (a reconnect) or the view it loaded ({@code ?after=}). */
    private void events(HttpExchange exchange) throws IOException {
        if (!streams.tryAcquire()) {
            answer(exchange, 503, "application/json", error(MAX_STREAMS + " console streams are open already"));
            return;
        }
        try {
            Optional<String> session = sessionId(exchange);
            String last = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Last-Event-ID"))
                    .or(() -> queryParameter(exchange, "after"))
                    .orElseGet(journal::lastId);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                EventJournal.Batch<ClusterEvent> batch = journal.after(last, KEEP_ALIVE_MILLIS);
                if (journal.closed()) {
                    return;
                }
                StringBuilder text = new StringBuilder();
                if (batch.reset()) {
                    text.append("id: ").append(batch.lastId()).append("\nevent: reset\ndata: {}\n\n");
                }
                for (EventJournal.Entry<ClusterEvent> entry : batch.events()) {
                    text.append("id: ").append(entry.id()).append("\nevent: cluster\ndata: ").append(views.event(entry.value())).append("\n\n");
                }
                if (text.isEmpty()) {
                    text.append(": keep-alive\n\n");
                }
                last = batch.lastId();
                boolean loggedOut = sessions.caller(session).isEmpty();
                if (loggedOut) {
                    text.append("event: logout\ndata: {}\n\n");
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (loggedOut) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The browser went away.
        } finally {
            streams.release();
        }
    }

    private static boolean sameOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return true;
        }
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookie(HttpExchange exchange, String value, long maxAgeSeconds) {
        // Secure only where the browser reached us over TLS (a proxy in front says so): on plain HTTP it would never be sent back.
        boolean tls = "https".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
        return COOKIE + "=" + value + "; Path=/ui/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }

    static Optional<String> sessionId(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String pair = part.strip();
                if (pair.startsWith(COOKIE + "=") && pair.length() > COOKIE.length() + 1) {
                    return Optional.of(pair.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> queryParameter(HttpExchange exchange, String name) {
        return Optional.ofNullable(exchange.getRequestURI().getRawQuery()).flatMap(query -> formField(query, name));
    }

    private static Optional<String> formField(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String error(String message) {
        return "{\"error\":" + ConsoleViews.quote(message) + "}";
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        answer(exchange, 405, "application/json", error("use " + allowed));
    }

    @Override
    public void close() {
        changes.close();
        journal.close();
    }
}
