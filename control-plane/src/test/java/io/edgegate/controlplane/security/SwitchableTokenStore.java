package io.edgegate.controlplane.security;

import io.edgegate.controlplane.store.StoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** Tokens in memory behind a switch: turned down, every call fails as a store whose etcd cannot be reached. */
final class SwitchableTokenStore implements TokenStore {

    private final MemoryTokenStore memory = new MemoryTokenStore();
    private final AtomicBoolean down = new AtomicBoolean();

    void down(boolean unreachable) {
        down.set(unreachable);
    }

    /** What is stored, read past the switch. */
    MemoryTokenStore memory() {
        return memory;
    }

    @Override
    public boolean create(TokenRecord token) {
        return up().create(token);
    }

    @Override
    public Optional<TokenRecord> find(String name) {
        return up().find(name);
    }

    @Override
    public List<TokenRecord> list() {
        return up().list();
    }

    @Override
    public boolean delete(String name) {
        return up().delete(name);
    }

    @Override
    public boolean deleteIfUnchanged(TokenRecord token) {
        return up().deleteIfUnchanged(token);
    }

    private TokenStore up() {
        if (down.get()) {
            throw new StoreUnavailableException("etcd is away", null);
        }
        return memory;
    }
}
