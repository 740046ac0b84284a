package dev.breakwater.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/cascade.md claims nothing without a link to its proof, so a proof that moves or is
 * renamed must fail the build: every relative link resolves to a file, and a link to a test
 * class with {@code #method} names a test method that exists in it.
 */
class CascadeLinksTest {
    private static final Path PAGE = Path.of("docs/cascade.md");
    /** Markdown links and images: [text](target) or ![alt](target). */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyLinkOnThePageResolvesToAFileAndEveryTestLinkToATestMethod() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        Matcher link = LINK.matcher(Files.readString(PAGE));
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http://") || target.startsWith("https://")) {
                continue;
            }
            checked++;
            int hash = target.indexOf('#');
            Path file = PAGE.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            if (!Files.isRegularFile(file)) {
                broken.add(target + ": no such file");
            } else if (fragment != null && file.toString().endsWith("Test.java") && !isTestMethod(file, fragment)) {
                broken.add(target + ": no test method " + fragment + " in " + file.getFileName());
            }
        }

        assertTrue(checked >= 40, "the page links its proofs; found only " + checked + " links");
        assertEquals(List.of(), broken, "links in docs/cascade.md that do not resolve");
    }

    @Test
    void thePictureIsGeneratedFromATextSourceInTheRepository() throws IOException {
        String source = Files.readString(Path.of("docs/img/cascade.dot"));
        // Graphviz writes '-' as &#45; and escapes < and > in text.
        String svg = Files.readString(Path.of("docs/img/cascade.svg"))
                .replace("&#45;", "-").replace("&lt;", "<").replace("&gt;", ">");

        // Every box of the source is in the picture: the SVG was generated from this source.
        Matcher label = Pattern.compile("(\\w+) \\[label=\"([^\\\\\"]+)").matcher(source);
        int boxes = 0;
        while (label.find()) {
            boxes++;
            String firstLine = label.group(2);
            assertTrue(svg.contains(firstLine), "docs/img/cascade.svg lacks '" + firstLine
                    + "' from cascade.dot: regenerate it (dot -Tsvg docs/img/cascade.dot -o docs/img/cascade.svg)");
        }
        assertTrue(boxes >= 10, "the picture shows the request path: " + boxes + " boxes");
    }

    /** A method of that name whose nearest annotation above is @Test or @ParameterizedTest. */
    private static boolean isTestMethod(Path file, String method) throws IOException {
        String source = Files.readString(file);
        Matcher declaration = Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(source);
        if (!declaration.find()) {
            return false;
        }
        String before = source.substring(0, declaration.start());
        int annotation = Math.max(before.lastIndexOf("@Test"), before.lastIndexOf("@ParameterizedTest"));
        return annotation >= 0 && !before.substring(annotation).contains(" void ");
    }
}
