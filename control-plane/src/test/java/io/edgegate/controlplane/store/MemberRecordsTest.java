package io.edgegate.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.api.v1.TrafficSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Member records are protobuf's JSON mapping of a Member, written and read by hand: what protobuf's
 * own JsonFormat wrote (records of earlier versions, or of a replica not yet upgraded) reads the
 * same, and JsonFormat reads what is written now.
 */
class MemberRecordsTest {

    private static final JsonFormat.Printer PROTOBUF_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PROTOBUF_PARSER = JsonFormat.parser().ignoringUnknownFields();

    private static Member viaProtobuf(byte[] json) throws IOException {
        Member.Builder member = Member.newBuilder();
        PROTOBUF_PARSER.merge(new String(json, StandardCharsets.UTF_8), member);
        return member.build();
    }

    private static byte[] byProtobuf(Member member) throws IOException {
        return PROTOBUF_PRINTER.print(member).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Random random) {
        String[] samples = {"", "node-1", "10.0.0.7", "ünïcödé \"quoted\" \\ back\nslash\t", "\u0001\u001f", "🚀 emoji", "a".repeat(300)};
        return samples[random.nextInt(samples.length)];
    }

    private static long number(Random random) {
        long[] samples = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1_796_162_665_263L, (1L << 53) + 1};
        return random.nextBoolean() ? samples[random.nextInt(samples.length)] : random.nextLong();
    }

    /** Not -0.0: protobuf's own parser reads it as 0.0. */
    private static double decimal(Random random) {
        double[] samples = {0.0, 1.5, 0.025, 1e-300, 1e300, Double.MIN_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1};
        return random.nextBoolean() ? samples[random.nextInt(samples.length)] : random.nextDouble() * 1e6;
    }

    private static Member randomMember(Random random) {
        Member.Builder m = Member.newBuilder()
                .setNodeId(text(random)).setAddress(text(random)).setVersion(text(random))
                .setStateValue(random.nextInt(6))
                .setAppliedRevision(number(random)).setConnectedSinceMillis(number(random)).setLastSeenMillis(number(random))
                .setLastError(text(random)).setControlPlane(text(random)).setAppliedAtMillis(number(random))
                .setRejectedRevision(number(random)).setRejectedAtMillis(number(random)).setConnected(random.nextBoolean())
                .setLiveAtMillis(number(random)).setAppliedEpoch(text(random)).setStateReason(text(random))
                .setRejectedEpoch(text(random)).setTrafficAtMillis(number(random)).setWarning(text(random))
                .setListenAddress(text(random)).setAdminListener(text(random));
        int live = random.nextInt(4);
        for (int i = 0; i < live; i++) {
            ObjectLiveStatus.Builder status = ObjectLiveStatus.newBuilder();
            if (random.nextBoolean()) {
                status.setKey(ObjectKey.newBuilder().setKind(text(random)).setName(text(random)));
            }
            int lines = random.nextInt(3);
            for (int j = 0; j < lines; j++) {
                status.addLines(text(random));
            }
            m.addLive(status);
        }
        if (random.nextBoolean()) {
            m.setTraffic(TrafficSummary.newBuilder().setWindowMillis(number(random)).setRequestsPerSecond(decimal(random))
                    .setServerErrorRatio(decimal(random)).setP99Seconds(decimal(random))
                    .setActiveConnections(number(random)).setActiveRequests(number(random)));
        }
        return m.build();
    }

    @Test
    void everyRecordReadsBackAndProtobufReadsItTheSameAndTheOtherWayRound() throws Exception {
        Random random = new Random(20261201);
        for (int i = 0; i < 2_000; i++) {
            Member member = randomMember(random);

            byte[] written = MemberRecords.write(member);
            assertThat(MemberRecords.read(written)).as("read back: %s", new String(written, StandardCharsets.UTF_8)).isEqualTo(member);
            assertThat(viaProtobuf(written)).as("protobuf reads it").isEqualTo(member);
            assertThat(MemberRecords.read(byProtobuf(member))).as("protobuf's record reads").isEqualTo(member);
        }
    }

    @Test
    void anEmptyMemberIsAnEmptyObjectAsProtobufWritesIt() throws Exception {
        assertThat(new String(MemberRecords.write(Member.getDefaultInstance()), StandardCharsets.UTF_8)).isEqualTo("{}");
        Member member = Member.newBuilder().setNodeId("node-1").setState(MemberState.READY).setAppliedRevision(42).setConnected(true).build();
        assertThat(new String(MemberRecords.write(member), StandardCharsets.UTF_8))
                .isEqualTo(PROTOBUF_PRINTER.print(member))
                .isEqualTo("{\"nodeId\":\"node-1\",\"state\":\"READY\",\"appliedRevision\":\"42\",\"connected\":true}");
    }

    @Test
    void namesAsInTheProtoFileNumbersAsNumbersNullsAndUnknownFieldsReadAsProtobufReadsThem() throws Exception {
        String json = "{\"node_id\":\"node-2\",\"appliedRevision\":7,\"state\":2,\"lastError\":null,\"future\":{\"a\":[1,{}]},"
                + "\"traffic\":{\"requests_per_second\":\"12.5\",\"p99Seconds\":\"NaN\",\"windowMillis\":\"2000\",\"later\":true},"
                + "\"live\":[{\"key\":{\"kind\":\"HTTPPipeline\",\"name\":\"p\",\"extra\":1},\"lines\":[\"ok\"]}],\"newerState\":\"SOMETHING\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        Member read = MemberRecords.read(bytes);
        assertThat(read).isEqualTo(viaProtobuf(bytes));
        assertThat(read.getNodeId()).isEqualTo("node-2");
        assertThat(read.getState()).isEqualTo(MemberState.BEHIND);
        assertThat(read.getTraffic().getRequestsPerSecond()).isEqualTo(12.5);
        assertThat(read.getLive(0).getKey().getName()).isEqualTo("p");
    }

    @Test
    void whatIsNoMemberRecordIsRefused() {
        for (String bad : new String[] {"", "[]", "not json", "{\"nodeId\":3}", "{\"appliedRevision\":\"x\"}", "{\"connected\":\"yes\"}",
                "{\"nodeId\":\"a\"", "{} {}", "{\"live\":{}}"}) {
            assertThatThrownBy(() -> MemberRecords.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(IOException.class);
        }
    }
}
