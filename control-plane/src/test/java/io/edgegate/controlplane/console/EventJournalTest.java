package io.edgegate.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A console that reconnects gets exactly the events it missed, or is told to reload when they are gone. */
class EventJournalTest {

    @Test
    void aReconnectGetsWhatItMissedInOrder() throws Exception {
        EventJournal<String> journal = new EventJournal<>(10);
        String seen = journal.lastId();
        journal.append("{\"n\":1}");
        journal.append("{\"n\":2}");
        EventJournal.Batch<String> batch = journal.after(seen, 0);
        assertThat(batch.reset()).isFalse();
        assertThat(batch.events()).extracting(EventJournal.Entry::value).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(batch.lastId()).isEqualTo(journal.lastId());

        journal.append("{\"n\":3}");
        assertThat(journal.after(batch.lastId(), 0).events()).extracting(EventJournal.Entry::value).containsExactly("{\"n\":3}");
    }

    @Test
    void aClientUpToDateWaitsAndGetsNothingWhenNothingHappens() throws Exception {
        EventJournal<String> journal = new EventJournal<>(10);
        journal.append("{}");
        EventJournal.Batch<String> batch = journal.after(journal.lastId(), 50);
        assertThat(batch.reset()).isFalse();
        assertThat(batch.events()).isEmpty();
        assertThat(batch.lastId()).isEqualTo(journal.lastId());
    }

    @Test
    void aWaitingClientWakesForTheNextEvent() throws Exception {
        EventJournal<String> journal = new EventJournal<>(10);
        String seen = journal.lastId();
        Thread writer = new Thread(() -> journal.append("{\"late\":true}"));
        writer.start();
        EventJournal.Batch<String> batch = journal.after(seen, 10_000);
        writer.join();
        assertThat(batch.events()).extracting(EventJournal.Entry::value).containsExactly("{\"late\":true}");
    }

    @Test
    void eventsNoLongerKeptOrAnotherJournalsIdMeanReload() throws Exception {
        EventJournal<String> journal = new EventJournal<>(3);
        String seen = journal.lastId();
        for (int i = 0; i < 5; i++) {
            journal.append("{}");
        }
        EventJournal.Batch<String> lost = journal.after(seen, 0);
        assertThat(lost.reset()).isTrue();
        assertThat(lost.events()).isEmpty();
        assertThat(lost.lastId()).isEqualTo(journal.lastId());

        for (String foreign : List.of(new EventJournal<String>(3).lastId(), "garbage", journal.lastId() + "9", "")) {
            assertThat(journal.after(foreign, 0).reset()).as(foreign).isTrue();
        }
    }

    @Test
    void closingWakesWaitingClients() throws Exception {
        EventJournal<String> journal = new EventJournal<>(3);
        Thread closer = new Thread(journal::close);
        closer.start();
        EventJournal.Batch<String> batch = journal.after(journal.lastId(), 60_000);
        closer.join();
        assertThat(journal.closed()).isTrue();
        assertThat(batch.events()).isEmpty();
    }
}
