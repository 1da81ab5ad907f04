package io.edgegate.spec;

import static io.edgegate.spec.SpecFixtures.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.filter.databuilder.DataBuilderSpec;
import io.edgegate.spec.filter.requestbuilder.RequestBuilderSpec;
import io.edgegate.spec.pipeline.FlowStep;
import io.edgegate.spec.pipeline.PipelineSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Builders, namespaces, aliases and data as they are checked when applied. */
class BuilderSpecTest {

    private static String pipeline(String filters, String flow) {
        return "name: p\nkind: Pipeline\nflow:\n" + flow + "filters:\n" + filters;
    }

    @Test
    void theDocumentedExamplesDecodeWithEveryOptionalKeyLeftOut() throws Exception {
        PipelineSpec spec = (PipelineSpec) decode(pipeline("""
                - name: requestbuilder-example-1
                  kind: RequestBuilder
                  protocol: http
                  template: |
                    method: get
                    url: http://127.0.0.1:8080
                    headers:
                      X-Mock-Header:
                      - mock-value
                    body: "this is the body"
                - name: copy
                  kind: RequestBuilder
                  sourceNamespace: DEFAULT
                - name: data
                  kind: DataBuilder
                  dataKey: d
                  template: 'x: 1'
                """, """
                - filter: copy
                  namespace: demo1
                - filter: requestbuilder-example-1
                  namespace: DEFAULT
                - filter: data
                """)).spec();

        assertThat(spec.flow().get(0).namespace()).isEqualTo("demo1");
        assertThat(spec.flow().get(1).namespace()).isEmpty();
        assertThat(spec.usesNamespaces()).isTrue();
        RequestBuilderSpec copy = (RequestBuilderSpec) spec.filter("copy").orElseThrow();
        assertThat(copy.sourceNamespace()).isEqualTo("DEFAULT");
        assertThat(copy.template()).isNull();
        assertThat(((DataBuilderSpec) spec.filter("data").orElseThrow()).dataKey()).isEqualTo("d");
    }

    @Test
    void aTemplateThatDoesNotParseIsRefusedWithItsLineAndColumn() {
        assertThatThrownBy(() -> decode(pipeline("""
                - name: build
                  kind: ResponseBuilder
                  template: |
                    statusCode: 200
                    body: {{if .req}}unclosed
                """, "- filter: build\n")))
                .hasMessageContaining("filters[0].template")
                .hasMessageContaining("the template does not parse: line 2, column 9: unexpected EOF: {{if}} has no {{end}}")
                .hasMessageContaining("unexpected EOF");
        assertThatThrownBy(() -> decode(pipeline("""
                - name: build
                  kind: ResultBuilder
                  template: '{{nosuchfunction 1}}'
                """, "- filter: build\n")))
                .hasMessageContaining("line 1, column 3: function \"nosuchfunction\" not defined");
    }

    @Test
    void sourceAndTemplateAreOneOrTheOtherAndOtherProtocolsAreNotSupported() {
        assertThatThrownBy(() -> decode(pipeline("- name: b\n  kind: RequestBuilder\n", "- filter: b\n")))
                .hasMessageContaining("sourceNamespace or template must be specified");
        assertThatThrownBy(() -> decode(pipeline("- name: b\n  kind: RequestBuilder\n  sourceNamespace: DEFAULT\n  template: 'url: /'\n",
                "- filter: b\n"))).hasMessageContaining("sourceNamespace and template cannot be specified at the same time");
        assertThatThrownBy(() -> decode(pipeline("- name: b\n  kind: ResponseBuilder\n  protocol: grpc\n  sourceNamespace: x\n",
                "- filter: b\n"))).hasMessageContaining("protocol 'grpc' is not supported by EdgeGate yet");
        assertThatThrownBy(() -> decode(pipeline("- name: b\n  kind: DataBuilder\n  template: 'a: 1'\n", "- filter: b\n")))
                .hasMessageContaining("dataKey must be specified");
    }

    @Test
    void aliasesNameStepsForJumpsAndAnAmbiguousTargetIsRefused() throws Exception {
        String filters = """
                - name: tier
                  kind: ResultBuilder
                  template: result0
                - name: copy
                  kind: RequestBuilder
                  sourceNamespace: DEFAULT
                """;
        PipelineSpec spec = (PipelineSpec) decode(pipeline(filters, """
                - filter: tier
                  jumpIf: {result0: second}
                - filter: copy
                  namespace: a
                - filter: copy
                  alias: second
                  namespace: b
                """)).spec();
        assertThat(spec.flow().get(2)).isEqualTo(new FlowStep("copy", Map.of(), "b", "second"));

        assertThatThrownBy(() -> decode(pipeline(filters, """
                - filter: tier
                  jumpIf: {result0: copy}
                - filter: copy
                  namespace: a
                - filter: copy
                  namespace: b
                """))).hasMessageContaining("jump target 'copy' names 2 steps after it in the flow; give each an alias of its own");
        // As Easegress: only the steps after the jump count, so a name used before it again is no ambiguity.
        PipelineSpec reused = (PipelineSpec) decode(pipeline(filters, """
                - filter: copy
                  namespace: a
                - filter: tier
                  jumpIf: {result0: copy}
                - filter: END
                - filter: copy
                  namespace: b
                """)).spec();
        assertThat(reused.flow()).hasSize(4);
        assertThatThrownBy(() -> decode(pipeline(filters, """
                - filter: tier
                  jumpIf: {buildErr: END, nope: END}
                """))).hasMessageContaining("never returns 'nope'");
        // Easegress's "": target jumps on success.
        PipelineSpec onSuccess = (PipelineSpec) decode(pipeline(filters, """
                - filter: tier
                  jumpIf: {"": second}
                - filter: copy
                  alias: second
                """)).spec();
        assertThat(onSuccess.flow().get(0).jumpIf()).containsEntry("", "second");
    }

    @Test
    void pipelineDataIsKeptAsDataWithNumbersAsFloats() throws Exception {
        PipelineSpec spec = (PipelineSpec) decode(pipeline("- name: c\n  kind: RequestBuilder\n  sourceNamespace: DEFAULT\n",
                "- filter: c\n") + "data:\n  foo: bar\n  n: 3\n  list: [a, {b: true}]\n").spec();
        assertThat(spec.data()).containsEntry("foo", "bar").containsEntry("n", 3.0)
                .containsEntry("list", List.of("a", Map.of("b", true)));
        assertThatThrownBy(() -> decode(pipeline("- name: c\n  kind: RequestBuilder\n  sourceNamespace: DEFAULT\n",
                "- filter: c\n") + "data: [1, 2]\n")).hasMessageContaining("data");
    }
}
