package io.edgegate.controlplane.security;

import java.util.List;
import java.util.Optional;

/** Where tokens live: etcd, shared by every replica, or this process's memory. Calls may block. */
public interface TokenStore {

    /** Stores a new token; false when one of that name exists. */
    boolean create(TokenRecord token);

    Optional<TokenRecord> find(String name);

    List<TokenRecord> list();

    /** False when there was no such token. */
    boolean delete(String name);

    /** Deletes the token only while its record is still {@code token} (one made anew under its name stays); false otherwise. */
    boolean deleteIfUnchanged(TokenRecord token);
}
