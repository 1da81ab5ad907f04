package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.DeleteResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ObjectKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Easegress's CustomDataKind and batch CustomData, as egctl apply sends them: what the control plane stores. */
class CustomDataKindTest {

    @RegisterExtension
    static final RunningControlPlane cp = RunningControlPlane.inMemory();

    private final ObjectMapper json = new ObjectMapper();

    private List<String> recordNames(String name) throws Exception {
        String stored = cp.objects().get(GetRequest.newBuilder().setKey(ObjectKey.newBuilder().setKind("cd").setName(name)).build())
                .getObject().getJson();
        List<String> names = new ArrayList<>();
        for (JsonNode record : json.readTree(stored).get("records")) {
            names.add(record.get("name").asText() + "=" + record.path("field1").asText());
        }
        return names;
    }

    @Test
    void theBatchFormChangesTheStoredRecordsById() throws Exception {
        String example = Files.readString(io.edgegate.testkit.ProjectRoot.find().resolve("examples/custom-data-kind.yaml"));
        String[] parts = example.split("(?m)^---\\n");
        cp.objects().apply(documents(parts[0].replace("kind1", "orders"), """
                name: orders
                kind: CustomData
                records:
                - {name: data1, field1: a}
                - {name: data2, field1: b}
                - {name: data3, field1: c}
                """));

        cp.objects().apply(documents(parts[1].replace("kind1", "orders")));
        assertThat(recordNames("orders")).containsExactly("data3=12", "data4=foo");

        cp.objects().apply(documents("name: orders\nkind: CustomData\nlist:\n- {name: data5, field1: x}\n- {name: data3, field1: y}\n"));
        assertThat(recordNames("orders")).containsExactly("data3=y", "data4=foo", "data5=x");

        cp.objects().apply(documents("name: orders\nkind: CustomData\nrebuild: true\nlist:\n- {name: only, field1: z}\n"));
        assertThat(recordNames("orders")).containsExactly("only=z");
    }

    @Test
    void deletingAKindDeletesItsDataAsEasegressDoes() {
        cp.objects().apply(documents("name: doomed\nkind: CustomDataKind\nidField: name\n",
                "name: doomed\nkind: CustomData\nlist:\n- {name: a}\n", "name: kept\nkind: CustomData\nrecords:\n- {name: b}\n"));

        DeleteResponse deleted = cp.objects().delete(DeleteRequest.newBuilder()
                .addKeys(ObjectKey.newBuilder().setKind("CustomDataKind").setName("doomed")).build());

        assertThat(deleted.getResultsList()).extracting(r -> r.getKey().getKind() + "/" + r.getKey().getName() + " " + r.getAction())
                .containsExactly("CustomDataKind/doomed DELETED", "CustomData/doomed DELETED");
        assertThatThrownBy(() -> cp.objects().get(GetRequest.newBuilder().setKey(ObjectKey.newBuilder().setKind("cd").setName("doomed")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        // Data of another name stays; a kind without data, or deleted together with it, is one deletion each.
        assertThat(cp.objects().get(GetRequest.newBuilder().setKey(ObjectKey.newBuilder().setKind("cd").setName("kept")).build())
                .getObject().getJson()).contains("\"b\"");
        cp.objects().apply(documents("name: empty\nkind: CustomDataKind\n", "name: both\nkind: CustomDataKind\n",
                "name: both\nkind: CustomData\nrecords: []\n"));
        assertThat(cp.objects().delete(DeleteRequest.newBuilder().addKeys(ObjectKey.newBuilder().setKind("CustomDataKind").setName("empty"))
                .build()).getResultsCount()).isEqualTo(1);
        assertThat(cp.objects().delete(DeleteRequest.newBuilder().addKeys(ObjectKey.newBuilder().setKind("CustomData").setName("both"))
                .addKeys(ObjectKey.newBuilder().setKind("CustomDataKind").setName("both")).build()).getResultsCount()).isEqualTo(2);
    }

    @Test
    void aRecordTheSchemaRefusesChangesNothing() throws Exception {
        cp.objects().apply(documents("""
                name: people
                kind: CustomDataKind
                idField: id
                jsonSchema:
                  type: object
                  properties:
                    id: {type: string}
                    age: {type: integer, minimum: 0}
                  required: [id, age]
                """, "name: people\nkind: CustomData\nlist:\n- {id: ann, age: 30, name: ann}\n"));

        assertThatThrownBy(() -> cp.objects().apply(documents("name: people\nkind: CustomData\nrebuild: true\nlist:\n"
                + "- {id: bob, age: -1, name: bob}\n- {age: 3, name: nobody}\n")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("list[0]: 'age' must be at least 0 (jsonSchema of CustomDataKind people)")
                            .contains("list[1]: has no 'id', the id field of CustomDataKind people")
                            .contains("list[1]: 'id' is required");
                });
        // Unlike Easegress, whose rebuild wipes the records before the check, nothing changed.
        assertThat(recordNames("people")).containsExactly("ann=");
    }

    @Test
    void recordsStoredBeforeTheKindWithoutAnIdAreKept() throws Exception {
        cp.objects().apply(documents("name: early\nkind: CustomData\nrecords:\n- {field1: a}\n- {field1: b}\n"));
        cp.objects().apply(documents("name: early\nkind: CustomDataKind\n", "name: early\nkind: CustomData\nlist:\n- {name: c, field1: c}\n"));
        String stored = cp.objects().get(GetRequest.newBuilder().setKey(ObjectKey.newBuilder().setKind("cd").setName("early")).build())
                .getObject().getJson();
        List<String> values = new ArrayList<>();
        json.readTree(stored).get("records").forEach(r -> values.add(r.get("field1").asText()));
        assertThat(values).containsExactly("a", "b", "c");
    }

    @Test
    void theBatchFormNeedsItsKind() {
        assertThatThrownBy(() -> cp.objects().apply(documents("name: nokind\nkind: CustomData\nlist:\n- {name: a}\n")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("needs the CustomDataKind nokind");
                });
        assertThatThrownBy(() -> cp.objects().apply(documents("name: k\nkind: CustomDataKind\njsonSchema:\n  properties:\n"
                + "    tags: {type: array}\n"))).hasMessageContaining("'array' is not a record field's type");
    }
}
