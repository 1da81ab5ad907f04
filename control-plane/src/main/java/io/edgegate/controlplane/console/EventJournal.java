package io.edgegate.controlplane.console;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's recent events, numbered, so a console that lost its connection gets exactly what
 * it missed: an event id names this journal (new for every start of this replica) and a sequence
 * number. A client whose last id is of another journal, or older than what is kept, is told to
 * reload the whole view instead.
 */
public final class EventJournal<T> {

    /** One event and its id. */
    public record Entry<T>(String id, T value) {
    }

    /**
     * What a client gets after its last id: the events since, or {@code reset} when it must reload
     * (then {@code events} is empty and {@code lastId} is where to follow from).
     */
    public record Batch<T>(List<Entry<T>> events, boolean reset, String lastId) {
    }

    private final String journalId;
    private final int capacity;
    private final Deque<Entry<T>> entries = new ArrayDeque<>();
    private long lastSequence;
    private boolean closed;

    public EventJournal(int capacity) {
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.journalId = HexFormat.of().formatHex(id);
        this.capacity = capacity;
    }

    public synchronized void append(T value) {
        lastSequence++;
        entries.addLast(new Entry<>(journalId + "." + lastSequence, value));
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        notifyAll();
    }

    public synchronized String lastId() {
        return journalId + "." + lastSequence;
    }

    /**
     * The events after {@code lastId}, waiting up to {@code waitMillis} for one when there are none
     * yet; empty when the wait ends without any, or the journal is closed.
     */
    public synchronized Batch<T> after(String lastId, long waitMillis) throws InterruptedException {
        Optional<Long> sequence = sequenceOf(lastId);
        if (sequence.isEmpty() || sequence.get() > lastSequence || lost(sequence.get())) {
            return new Batch<>(List.of(), true, lastId());
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!closed && lastSequence == sequence.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Batch<>(List.of(), false, lastId);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        if (lost(sequence.get())) {
            return new Batch<>(List.of(), true, lastId());
        }
        List<Entry<T>> since = new ArrayList<>();
        long skip = sequence.get() - (lastSequence - entries.size());
        for (Entry<T> entry : entries) {
            if (skip-- <= 0) {
                since.add(entry);
            }
        }
        return new Batch<>(since, false, since.isEmpty() ? lastId : since.get(since.size() - 1).id());
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Wakes every waiting client; they see the journal closed and end. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Whether events after {@code sequence} were dropped to keep the journal's size. */
    private boolean lost(long sequence) {
        long oldestKept = lastSequence - entries.size() + 1;
        return sequence < oldestKept - 1;
    }

    private Optional<Long> sequenceOf(String id) {
        int dot = id.lastIndexOf('.');
        if (dot < 0 || !id.substring(0, dot).equals(journalId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(id.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
