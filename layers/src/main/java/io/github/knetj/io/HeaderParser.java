package io.github.knetj.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strict reader of a safetensors JSON header, token by token: memory stays proportional to the tensors it names
 * (a tree of the whole header cost 24 times its size), and what the format forbids is refused with a named error where
 * a lenient reader guessed: invalid UTF-8, a name given twice (a tree keeps the last), an offset beyond 2^63 (it wrapped
 * to a small number), anything after the closing brace but the space padding, and a field of the wrong type.
 */
final class HeaderParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(1 << 16).maxNumberLength(40).build())
            .build();
    /** Names quoted in messages are cut to this many characters, so that a hostile header cannot grow a message without bound. */
    private static final int NAME_CHARS = 80;

    private HeaderParser() {}

    /** One tensor's entry as written: name, dtype, shape and data offsets, not yet checked against the file. */
    record Info(String name, String dtype, long[] shape, long begin, long end) {}

    record Parsed(List<Info> tensors, Map<String, String> metadata) {}

    static Parsed parse(String file, byte[] header) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "the header is not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (header.length == 0 || header[0] != '{') throw corrupt(file, "the header does not start with '{' (not a safetensors file?)");
        List<Info> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        // Parsed from the decoded text: given bytes, Jackson guesses the encoding, and a '{' then zeros read as UTF-32.
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!names.add(name)) throw corrupt(file, "the name '" + shorten(name) + "' appears twice in the header");
                p.nextToken();
                if (name.equals("__metadata__")) readMetadata(file, p, metadata);
                else tensors.add(readInfo(file, name, p));
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw corrupt(file, "the header is not one JSON object");
            // The format pads the header with spaces (0x20) to a multiple of 8; anything else after the object is garbage.
            int end = (int) p.currentLocation().getCharOffset();
            for (int i = end; i < text.length(); i++)
                if (text.charAt(i) != ' ')
                    throw corrupt(file, "the header has " + (text.length() - i) + " characters after its closing '}' that are not space padding (character "
                            + i + " is 0x" + Integer.toHexString(text.charAt(i)) + ")");
        } catch (JsonProcessingException e) {
            throw corrupt(file, "the JSON header does not parse: " + shorten(e.getOriginalMessage()));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file + ": ")) throw e;
            throw corrupt(file, "the JSON header does not parse: " + shorten(String.valueOf(e.getMessage())));
        }
        return new Parsed(tensors, metadata);
    }

    private static void readMetadata(String file, JsonParser p, Map<String, String> into) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) throw corrupt(file, "__metadata__ is not an object of strings");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) throw corrupt(file, "__metadata__ value of '" + shorten(key) + "' is not a string");
            if (into.put(key, p.getText()) != null) throw corrupt(file, "__metadata__ key '" + shorten(key) + "' appears twice");
        }
    }

    private static Info readInfo(String file, String name, JsonParser p) throws IOException {
        String quoted = "tensor '" + shorten(name) + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) throw corrupt(file, "entry '" + shorten(name) + "' is not an object");
        String dtype = null;
        long[] shape = null, offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) throw corrupt(file, quoted + " gives its dtype twice");
                    if (v != JsonToken.VALUE_STRING) throw corrupt(file, quoted + " has no dtype");
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (shape != null) throw corrupt(file, quoted + " gives its shape twice");
                    shape = longs(file, p, quoted + " has an invalid shape", -1);
                }
                case "data_offsets" -> {
                    if (offsets != null) throw corrupt(file, quoted + " gives its data_offsets twice");
                    offsets = longs(file, p, quoted + " needs data_offsets [begin, end] of two integers below 2^63", 2);
                }
                default -> throw corrupt(file, quoted + " has an unknown field '" + shorten(field) + "' (expected dtype, shape, data_offsets)");
            }
        }
        if (dtype == null) throw corrupt(file, quoted + " has no dtype");
        if (shape == null) throw corrupt(file, quoted + " has no shape array");
        if (offsets == null) throw corrupt(file, quoted + " needs data_offsets [begin, end] of two integers below 2^63");
        return new Info(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** An array of integers that fit a long (count elements, or any number when count is -1), else an error saying {@code why}. */
    private static long[] longs(String file, JsonParser p, String why, int count) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw corrupt(file, why);
        List<Long> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
                throw corrupt(file, why + " (found " + shorten(p.getText()) + ")");
            out.add(p.getLongValue());
            if (out.size() > 64) throw corrupt(file, why + " (more than 64 numbers)");
        }
        if (count >= 0 && out.size() != count) throw corrupt(file, why);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** s, cut to {@link #NAME_CHARS} characters with a note of how many were left out. */
    static String shorten(String s) {
        if (s == null) return "null";
        return s.length() <= NAME_CHARS ? s : s.substring(0, NAME_CHARS) + "… (" + (s.length() - NAME_CHARS) + " more characters)";
    }

    private static IOException corrupt(String file, String why) { return new IOException(file + ": corrupt safetensors file: " + why); }
}
