package io.edgegate.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's text/template, checked against the outputs its documentation and Go itself give. */
class TemplateTest {

    private static String run(String source, Object data) {
        return Template.parse(source, Functions.easegress()).execute(data);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** sprig's regexp functions speak Go's RE2 and expand replacements as Go's Expand does. */
    @Test
    void regexpFunctionsFollowGo() {
        assertThat(run("{{regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\"}}", null)).isEqualTo("-W-xxW-");
        assertThat(run("{{regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\"}}", null)).as("$1W names group '1W'").isEqualTo("---");
        assertThat(run("{{regexReplaceAll \"a(?P<n>x*)b\" \"-axb-\" \"[$n]\"}}", null)).isEqualTo("-[x]-");
        assertThat(run("{{regexMatch \"^[[:alpha:]]+$\" \"abc\"}}", null)).isEqualTo("true");
        assertThat(run("{{regexFind \"[0-9]+\" \"order 42 of 7\"}}", null)).isEqualTo("42");
        assertThatThrownBy(() -> run("{{regexMatch \"(?=x)\" \"x\"}}", null)).hasMessageContaining("error parsing regexp");
    }

    /** The pipelines of the package documentation's "Examples" section: each prints "output" quoted. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{{\"\\\"output\\\"\"}}",
        "{{`\"output\"`}}",
        "{{printf \"%q\" \"output\"}}",
        "{{\"output\" | printf \"%q\"}}",
        "{{printf \"%q\" (print \"out\" \"put\")}}",
        "{{\"put\" | printf \"%s%s\" \"out\" | printf \"%q\"}}",
        "{{\"output\" | printf \"%s\" | printf \"%q\"}}",
        "{{with \"output\"}}{{printf \"%q\" .}}{{end}}",
        "{{with $x := \"output\" | printf \"%q\"}}{{$x}}{{end}}",
        "{{with $x := \"output\"}}{{printf \"%q\" $x}}{{end}}",
        "{{with $x := \"output\"}}{{$x | printf \"%q\"}}{{end}}"})
    void theDocumentedPipelinesPrintTheQuotedWord(String source) {
        assertThat(run(source, null)).isEqualTo("\"output\"");
    }

    @Test
    void trimMarkersRemoveTheSpaceBesideThemAndCommentsVanish() {
        assertThat(run("{{23 -}} < {{- 45}}", null)).isEqualTo("23<45");
        assertThat(run("a {{- /* a comment */ -}} \n b{{/* another */}}c", null)).isEqualTo("abc");
        assertThat(run("x\n  {{- if true}}\n  y\n  {{- end}}\n", null)).isEqualTo("x\n  y\n");
        // A dash without a space beside it is a negative number, not a trim marker.
        assertThat(run("a {{-3}} b", null)).isEqualTo("a -3 b");
    }

    @Test
    void rangeVisitsMapsInKeyOrderListsInOrderAndIntegersFromZero() {
        assertThat(run("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", map("b", 2L, "a", 1L, "c", 3L))).isEqualTo("a=1;b=2;c=3;");
        assertThat(run("{{range $i, $e := .}}{{$i}}:{{$e}} {{end}}", List.of("x", "y"))).isEqualTo("0:x 1:y ");
        assertThat(run("{{range $e := .}}{{$e}}{{end}}", List.of("x", "y"))).isEqualTo("xy");
        assertThat(run("{{range .}}[{{.}}]{{end}}", List.of(1L, 2L))).isEqualTo("[1][2]");
        assertThat(run("{{range 3}}{{.}}{{end}}", null)).isEqualTo("012");
        assertThat(run("{{range .}}x{{else}}empty{{end}}", List.of())).isEqualTo("empty");
        assertThat(run("{{range .missing}}x{{else}}none{{end}}", map())).isEqualTo("none");
        assertThat(run("{{range .}}{{if eq . 3}}{{break}}{{end}}{{if eq . 1}}{{continue}}{{end}}{{.}}{{end}}",
                List.of(1L, 2L, 3L, 4L))).isEqualTo("2");
    }

    @Test
    void variablesAreScopedToTheirControlStructureAndCanBeAssigned() {
        assertThat(run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", null)).isEqualTo("2");
        assertThat(run("{{$x := \"outer\"}}{{with $x := \"inner\"}}{{$x}}{{end}} {{$x}}", null)).isEqualTo("inner outer");
        assertThat(run("{{range .}}{{$.name}}{{end}}", map("name", "n", "other", "o"))).isEqualTo("nn");
        assertThat(run("{{with .a}}{{$.name}}-{{.b}}{{end}}", map("name", "n", "a", map("b", "c")))).isEqualTo("n-c");
        assertThat(run("{{$first := true}}{{range .}}{{if not $first}},{{end}}{{.}}{{$first = false}}{{end}}",
                List.of("a", "b", "c"))).isEqualTo("a,b,c");
    }

    @Test
    void ifElseIfAndWithElseChooseAsGoDoes() {
        String source = "{{if eq . 1}}one{{else if eq . 2}}two{{else}}other{{end}}";
        assertThat(run(source, 1L)).isEqualTo("one");
        assertThat(run(source, 2L)).isEqualTo("two");
        assertThat(run(source, 3L)).isEqualTo("other");
        assertThat(run("{{with .missing}}x{{else}}none{{end}}", map())).isEqualTo("none");
        assertThat(run("{{with .a}}{{.}}{{else with .b}}b={{.}}{{end}}", map("b", "B"))).isEqualTo("b=B");
        // Go's truth: empty strings, lists, maps, zero and nil are false.
        assertThat(run("{{if .}}t{{else}}f{{end}}", "")).isEqualTo("f");
        assertThat(run("{{if .}}t{{else}}f{{end}}", List.of())).isEqualTo("f");
        assertThat(run("{{if .}}t{{else}}f{{end}}", 0.0)).isEqualTo("f");
        assertThat(run("{{if .}}t{{else}}f{{end}}", map("k", "v"))).isEqualTo("t");
    }

    @Test
    void defineTemplateAndBlockWorkAsDocumented() {
        String source = "{{define \"T1\"}}ONE{{end}}{{define \"T2\"}}TWO {{template \"T1\"}}{{end}}"
                + "{{define \"T3\"}}{{template \"T1\"}} {{template \"T2\"}}{{end}}{{template \"T3\"}}";
        assertThat(run(source, null)).isEqualTo("ONE TWO ONE");
        assertThat(run("{{block \"list\" .}}[{{range .}}{{.}},{{end}}]{{end}}", List.of("a", "b"))).isEqualTo("[a,b,]");
        assertThat(run("{{define \"x\"}}{{.}}!{{end}}{{template \"x\" .name}}", map("name", "hi"))).isEqualTo("hi!");
        assertThatThrownBy(() -> run("{{define \"r\"}}{{template \"r\"}}{{end}}{{template \"r\"}}", null))
                .isInstanceOf(TemplateException.class).hasMessageContaining("exceeded maximum template depth");
        assertThatThrownBy(() -> run("{{template \"nope\"}}", null)).hasMessageContaining("no such template \"nope\"");
    }

    @Test
    void fieldsOfMapsMissingKeysAndNilFollowGo() {
        Map<String, Object> data = map("a", map("b", "c"), "n", null);
        assertThat(run("{{.a.b}}", data)).isEqualTo("c");
        assertThat(run("{{.missing}}", data)).isEqualTo("<no value>");
        assertThat(run("{{.missing.deeper}}", data)).isEqualTo("<no value>");
        assertThat(run("{{.n}}", data)).isEqualTo("<nil>");
        assertThat(run("{{index . \"missing\"}}", data)).isEqualTo("<nil>");
        assertThatThrownBy(() -> run("{{.n.x}}", data)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("nil pointer evaluating interface {}.x");
        assertThatThrownBy(() -> run("{{.a.b.c}}", data)).hasMessageContaining("can't evaluate field c in type string");
        assertThatThrownBy(() -> run("{{.a 1}}", data)).hasMessageContaining("a is not a method but has arguments");
    }

    @Test
    void valuesPrintAsGoPrintsThem() {
        assertThat(run("{{3.0}} {{1e6}} {{123456.0}} {{0.0001}} {{0.00001}} {{1.5}} {{-2}} {{0x1F}} {{'a'}}", null))
                .isEqualTo("3 1e+06 123456 0.0001 1e-05 1.5 -2 31 97");
        assertThat(run("{{.}}", map("b", List.of(1L, "x"), "a", true))).isEqualTo("map[a:true b:[1 x]]");
        assertThat(run("{{print 1 2 \"a\" 3 \"b\" \"c\"}}", null)).isEqualTo("1 2a3bc");
        assertThat(run("{{println 1 \"a\"}}", null)).isEqualTo("1 a\n");
        assertThat(run("{{.n}} {{eq .n \"1.50\"}}", map("n", new JsonNumber("1.50")))).isEqualTo("1.50 true");
    }

    @Test
    void printfFormatsVerbsWidthsAndPrecisionsAsFmtDoes() {
        assertThat(run("{{printf \"%d|%5d|%-4d|%05d|%x|%X|%o|%b\" 42 42 42 -42 255 255 8 5}}", null))
                .isEqualTo("42|   42|42  |-0042|ff|FF|10|101");
        assertThat(run("{{printf \"%.2f|%8.3f|%e|%g|%v|%.3g\" 3.14159 2.5 1234.5678 0.000012 2.5 3.14159}}", null))
                .isEqualTo("3.14|   2.500|1.234568e+03|1.2e-05|2.5|3.14");
        assertThat(run("{{printf \"%s|%q|%v|%t|%%|%5s|%-5s|\" \"a\" \"b\\n\" \"c\" true \"d\" \"e\"}}", null))
                .isEqualTo("a|\"b\\n\"|c|true|%|    d|e    |");
        assertThat(run("{{printf \"%d %d\" 1}}", null)).isEqualTo("1 %!d(MISSING)");
        assertThat(run("{{printf \"%d\" 1 2}}", null)).isEqualTo("1%!(EXTRA int=2)");
        assertThat(run("{{printf \"%d\" \"x\"}}", null)).isEqualTo("%!d(string=x)");
    }

    @Test
    void comparisonsAndLogicFollowGo() {
        assertThat(run("{{eq 1 2 3 1}} {{ne \"a\" \"b\"}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}", null))
                .isEqualTo("true true true true true false");
        assertThat(run("{{or 0 \"\" \"x\"}} {{and 1 \"y\"}} {{and 1 0}} {{not 0}}", null)).isEqualTo("x y 0 true");
        // and/or stop at the first deciding argument: the index past the end is never evaluated.
        assertThat(run("{{and 0 (index . 5)}}{{or 1 (index . 5)}}", List.of())).isEqualTo("01");
        assertThatThrownBy(() -> run("{{eq 1 \"1\"}}", null)).hasMessageContaining("incompatible types for comparison");
        assertThatThrownBy(() -> run("{{eq .n 200}}", map("n", new JsonNumber("200"))))
                .hasMessageContaining("incompatible types for comparison");
    }

    @Test
    void builtInsIndexLenSliceAndEscapers() {
        Map<String, Object> data = map("list", List.of("a", "b", "c"), "m", map("k", List.of("v1", "v2")));
        assertThat(run("{{index .list 1}} {{index .m \"k\" 1}} {{len .list}} {{len \"héllo\"}} {{slice .list 1 2}} {{slice \"abcd\" 1}}", data))
                .isEqualTo("b v2 3 6 [b] bcd");
        assertThat(run("{{html \"<a href=\\\"x\\\">&'\"}}", null)).isEqualTo("&lt;a href=&#34;x&#34;&gt;&amp;&#39;");
        assertThat(run("{{js \"it's <b>\"}}", null)).isEqualTo("it\\'s \\u003Cb\\u003E");
        assertThat(run("{{urlquery \"a b&c/é\"}}", null)).isEqualTo("a+b%26c%2F%C3%A9");
        assertThatThrownBy(() -> run("{{index .list 10}}", data)).hasMessageContaining("error calling index: index out of range: 10");
        assertThatThrownBy(() -> run("{{len 3}}", data)).hasMessageContaining("error calling len: len of type int");
    }

    @Test
    void otherDelimitersLeaveTheDefaultOnesAsText() {
        Template t = Template.parse("[[.a]] {{.a}} [[- \" x\" -]] !", "[[", "]]", Functions.easegress());
        assertThat(t.execute(map("a", 1L))).isEqualTo("1 {{.a}} x!");
    }

    @Test
    void parseErrorsNameLineAndColumn() {
        assertParseError("{{if}}x{{end}}", 1, "missing value for if");
        assertParseError("line one\n  {{.x", 2, "unclosed action");
        assertParseError("{{foo 1}}", 1, "function \"foo\" not defined");
        assertParseError("a\nb\n{{$x}}", 3, "undefined variable \"$x\"");
        assertParseError("{{end}}", 1, "unexpected {{end}}");
        assertParseError("{{if true}}x", 1, "unexpected EOF");
        assertParseError("{{break}}", 1, "{{break}} outside {{range}}");
        assertParseError("{{\"unterminated}}", 1, "unterminated quoted string");
        assertParseError("{{.a | 3}}", 1, "non executable command in pipeline stage 2");
        assertParseError("{{3x}}", 1, "bad number syntax");
        assertParseError("{{/* open", 1, "unclosed comment");
        assertParseError("{{(1}}", 1, "unclosed left paren");
        TemplateException e = (TemplateException) catchParse("ab\n  cd {{ .x | }}");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isGreaterThan(1);
    }

    private static void assertParseError(String source, int line, String message) {
        Throwable e = catchParse(source);
        assertThat(e).as(source).isInstanceOf(TemplateException.class).hasMessageContaining(message);
        assertThat(((TemplateException) e).line()).as(source).isEqualTo(line);
    }

    private static Throwable catchParse(String source) {
        try {
            Template.parse(source, Functions.easegress());
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("parsed: " + source);
    }

    @Test
    void runTimeErrorsSayWhereAndWhy() {
        assertThatThrownBy(() -> run("ok\n{{divf 1 0}}", null)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("line 2").hasMessageContaining("error calling divf: divisor is zero");
        assertThatThrownBy(() -> run("{{panic \"stop\"}}", null)).hasMessageContaining("error calling panic: stop");
        assertThatThrownBy(() -> run("{{upper 3}}", null)).hasMessageContaining("wrong type for value; expected string; got int");
        assertThatThrownBy(() -> run("{{range 100000000}}{{end}}", null)).hasMessageContaining("steps");
        assertThatThrownBy(() -> Template.parse("{{" + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "}}", Functions.go()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("nests too deeply");
    }

    @Test
    void easegressFunctionsMergeEscapeAndCompute() {
        Map<String, Object> one = map("a", 1L, "nested", map("x", 1L));
        Map<String, Object> two = map("b", "<b>", "nested", map("y", 2L));
        assertThat(run("{{mergeObject .one .two | toRawJson}}", map("one", one, "two", two)))
                .isEqualTo("{\"a\":1,\"b\":\"<b>\",\"nested\":{\"x\":1,\"y\":2}}");
        assertThat(run("{{mergeObject .one .two | toJson}}", map("one", one, "two", two)))
                .isEqualTo("{\"a\":1,\"b\":\"\\u003cb\\u003e\",\"nested\":{\"x\":1,\"y\":2}}");
        assertThat(run("{{jsonEscape .}}", "say \"hi\"\n<now>")).isEqualTo("say \\\"hi\\\"\\n\\u003cnow\\u003e");
        assertThat(run("{{addf 1 2}} {{subf .n 0.5}} {{mulf \"2\" 3}} {{divf 1 4}}", map("n", new JsonNumber("2"))))
                .isEqualTo("3 1.5 6 0.25");
        assertThat(run("{{host \"example.com:8080\"}} {{port \"[::1]:443\"}} {{host \"nohost\"}}|", null))
                .isEqualTo("example.com 443 |");
        assertThat(run("{{urlQueryEscape \"a b\"}} {{urlQueryUnescape \"a+b%21\"}}", null)).isEqualTo("a+b a b!");
        // A character outside the BMP passes through whole.
        assertThat(run("{{urlQueryUnescape \"smile \uD83D\uDE00+%F0%9F%98%80\"}}", null)).isEqualTo("smile \uD83D\uDE00 \uD83D\uDE00");
        assertThat(run("{{header .h \"content-type\"}}", map("h", map("Content-Type", List.of("text/plain")))))
                .isEqualTo("text/plain");
    }

    @Test
    void sprigFunctionsUsedInEasegressTemplates() {
        Map<String, Object> data = map("data", map("PIPELINE", map("en", map("text", "hello"))),
                "items", new ArrayList<>(List.of("a", "b", "c")));
        assertThat(run("{{get .data.PIPELINE \"en\" | toJson}} {{get .data.PIPELINE \"fr\"}}|", data))
                .isEqualTo("{\"text\":\"hello\"} |");
        assertThat(run("{{last .items}} {{first .items}} {{b64enc \"hi\"}} {{replace \"\\n\" \" \" \"a\\nb\"}}", data))
                .isEqualTo("c a aGk= a b");
        assertThat(run("{{.missing | default \"dflt\"}} {{default \"d\" \"given\"}} {{upper \"x\"}} {{trim \"  y \"}}", map()))
                .isEqualTo("dflt given X y");
        assertThat(run("{{list 1 \"a\" | toJson}} {{dict \"k\" 1 | toJson}} {{join \",\" .items}} {{has \"b\" .items}}", data))
                .isEqualTo("[1,\"a\"] {\"k\":1} a,b,c true");
        assertThat(run("{{add 1 2 3}} {{sub 5 2}} {{mul 2 3}} {{div 7 2}} {{mod 7 2}} {{max 1 5 3}} {{int \"42\"}} {{atoi \"x\"}}", null))
                .isEqualTo("6 3 6 3 1 5 42 0");
        assertThat(run("{{splitList \",\" \"a,b\"}} {{(split \"-\" \"x-y\")._1}} {{substr 1 3 \"hello\"}} {{trunc 2 \"hello\"}}", null))
                .isEqualTo("[a b] y el he");
        assertThat(run("{{ternary \"yes\" \"no\" true}} {{empty \"\"}} {{coalesce \"\" 0 \"z\"}} {{quote \"q\" 1}}", null))
                .isEqualTo("yes true z \"q\" \"1\"");
    }
}
