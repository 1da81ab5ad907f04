package io.edgegate.spec.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A plain YAML scalar the parser read as a number although it is not written as the number is
 * ({@code 01234}, {@code 1.10}, {@code 0x1F}, {@code 1e3}). It is that number to a number field,
 * and its text as written to a string field: {@code X-Zip: 01234} is "01234", as Easegress's
 * YAML library (yaml.v3) fills a Go string, never the octal 668. Which one the object keeps, and
 * writes when it is stored, is decided by the field that reads it ({@link #readAsText}).
 */
final class WrittenNumber extends NumericNode {

    private final NumericNode number;
    private final String text;
    /** A string field read it: stored as the text from now on. Set while one document is decoded, on one thread. */
    private boolean asText;

    WrittenNumber(NumericNode number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The scalar as written, which the object keeps from now on. */
    String readAsText() {
        asText = true;
        return text;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        if (asText) {
            generator.writeString(text);
        } else {
            number.serialize(generator, provider);
        }
    }

    @Override
    public JsonToken asToken() {
        return number.asToken();
    }

    @Override
    public JsonParser.NumberType numberType() {
        return number.numberType();
    }

    @Override
    public Number numberValue() {
        return number.numberValue();
    }

    @Override
    public int intValue() {
        return number.intValue();
    }

    @Override
    public long longValue() {
        return number.longValue();
    }

    @Override
    public double doubleValue() {
        return number.doubleValue();
    }

    @Override
    public BigDecimal decimalValue() {
        return number.decimalValue();
    }

    @Override
    public BigInteger bigIntegerValue() {
        return number.bigIntegerValue();
    }

    @Override
    public boolean canConvertToInt() {
        return number.canConvertToInt();
    }

    @Override
    public boolean canConvertToLong() {
        return number.canConvertToLong();
    }

    @Override
    public boolean isIntegralNumber() {
        return number.isIntegralNumber();
    }

    @Override
    public boolean isFloatingPointNumber() {
        return number.isFloatingPointNumber();
    }

    @Override
    public boolean isInt() {
        return number.isInt();
    }

    @Override
    public boolean isLong() {
        return number.isLong();
    }

    @Override
    public boolean isBigInteger() {
        return number.isBigInteger();
    }

    @Override
    public boolean isDouble() {
        return number.isDouble();
    }

    @Override
    public boolean isNaN() {
        return number.isNaN();
    }

    @Override
    public String asText() {
        return number.asText();
    }

    /** As written, for messages about it. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrittenNumber written && written.text.equals(text) && written.number.equals(number);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
