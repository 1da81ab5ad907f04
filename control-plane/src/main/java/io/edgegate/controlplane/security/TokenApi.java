package io.edgegate.controlplane.security;

import io.edgegate.api.v1.CreateTokenRequest;
import io.edgegate.api.v1.CreateTokenResponse;
import io.edgegate.api.v1.ListTokensRequest;
import io.edgegate.api.v1.ListTokensResponse;
import io.edgegate.api.v1.RevokeTokenRequest;
import io.edgegate.api.v1.RevokeTokenResponse;
import io.edgegate.api.v1.TokenInfo;
import io.edgegate.api.v1.TokenServiceGrpc;
import io.edgegate.api.v1.WhoAmIRequest;
import io.edgegate.controlplane.api.ApiException;
import io.edgegate.controlplane.api.Responder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** egctl token create|list|revoke. The roles are checked before a call gets here ({@link CallAuthorization}). */
public final class TokenApi extends TokenServiceGrpc.TokenServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);

    private final Tokens tokens;

    public TokenApi(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void create(CreateTokenRequest request, StreamObserver<CreateTokenResponse> response) {
        Responder.respond(response, () -> {
            Role role = Role.parse(request.getRole()).orElseThrow(() -> invalid("unknown role '" + request.getRole()
                    + "': use viewer, operator or admin"));
            if (request.getTtlMillis() < 0) {
                throw invalid("a token's ttl must be positive");
            }
            Optional<Duration> ttl = request.getTtlMillis() == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(request.getTtlMillis()));
            Tokens.Issued issued;
            try {
                issued = tokens.create(request.getName(), role, ttl);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            } catch (IllegalStateException e) {
                throw new ApiException(Status.Code.ALREADY_EXISTS, e.getMessage());
            }
            log.info("token {} ({}) created by {}", request.getName(), role.label(), callerName());
            return CompletableFuture.completedFuture(CreateTokenResponse.newBuilder()
                    .setInfo(info(issued.record())).setToken(issued.token()).build());
        });
    }

    @Override
    public void list(ListTokensRequest request, StreamObserver<ListTokensResponse> response) {
        Responder.respond(response, () -> {
            ListTokensResponse.Builder list = ListTokensResponse.newBuilder();
            tokens.list().stream().sorted(Comparator.comparing(TokenRecord::name)).forEach(token -> list.addTokens(info(token)));
            return CompletableFuture.completedFuture(list.build());
        });
    }

    @Override
    public void revoke(RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> response) {
        Responder.respond(response, () -> {
            if (!tokens.revoke(request.getName())) {
                throw new ApiException(Status.Code.NOT_FOUND, "no token named '" + request.getName() + "'");
            }
            log.info("token {} revoked by {}", request.getName(), callerName());
            return CompletableFuture.completedFuture(RevokeTokenResponse.getDefaultInstance());
        });
    }

    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<TokenInfo> response) {
        Responder.respond(response, () -> {
            Caller caller = Caller.current().orElseThrow(() -> new ApiException(Status.Code.FAILED_PRECONDITION,
                    "this control plane runs with --insecure: calls carry no identity"));
            return CompletableFuture.completedFuture(TokenInfo.newBuilder().setName(caller.name()).setRole(caller.role().label()).build());
        });
    }

    private static String callerName() {
        return Caller.current().map(Caller::name).orElse("an insecure caller");
    }

    private static TokenInfo info(TokenRecord record) {
        return TokenInfo.newBuilder().setName(record.name()).setRole(record.role().label())
                .setCreatedAtMillis(record.createdAtMillis()).setExpiresAtMillis(record.expiresAtMillis()).build();
    }

    private static ApiException invalid(String message) {
        return new ApiException(Status.Code.INVALID_ARGUMENT, message);
    }
}
