package io.edgegate.spec.codec;

/**
 * Where a value sits in a document ({@code rules[0].paths[3].backend}), spelled out only when a
 * message names it: decoding an HTTPServer of 50,000 routes reads close to a million values and
 * reports on few, and building each one's path as text cost more than reading the value.
 */
final class NodePath {

    static final NodePath ROOT = new NodePath(null, "", -1);

    private final NodePath parent;
    /** The key under the parent, or null for an element of a list. */
    private final String key;
    private final int index;
    private String text;

    private NodePath(NodePath parent, String key, int index) {
        this.parent = parent;
        this.key = key;
        this.index = index;
    }

    NodePath child(String key) {
        return new NodePath(this, key, -1);
    }

    NodePath element(int index) {
        return new NodePath(this, null, index);
    }

    @Override
    public String toString() {
        if (text == null) {
            text = parent == null ? "" : key != null ? DecodeContext.child(parent.toString(), key)
                    : DecodeContext.element(parent.toString(), index);
        }
        return text;
    }
}
