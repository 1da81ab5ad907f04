package io.edgegate.controlplane.security;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens of a control plane that runs on the in-memory store. */
public final class MemoryTokenStore implements TokenStore {

    private final Map<String, TokenRecord> tokens = new ConcurrentHashMap<>();

    @Override
    public boolean create(TokenRecord token) {
        return tokens.putIfAbsent(token.name(), token) == null;
    }

    @Override
    public Optional<TokenRecord> find(String name) {
        return Optional.ofNullable(tokens.get(name));
    }

    @Override
    public List<TokenRecord> list() {
        return tokens.values().stream().sorted(Comparator.comparing(TokenRecord::name)).toList();
    }

    @Override
    public boolean delete(String name) {
        return tokens.remove(name) != null;
    }

    @Override
    public boolean deleteIfUnchanged(TokenRecord token) {
        return tokens.remove(token.name(), token);
    }
}
