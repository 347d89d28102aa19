// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Source rules that bytecode cannot show: a type is named by an import, not by its fully qualified
 * name inline. The one exception is a name that would clash — another type of the same simple name
 * is imported, declared in the file, or lives in the file's package.
 */
class SourceHygieneTest {
  private static final Pattern FQN =
      Pattern.compile(
          "(?<![\\w.])((?:java|javax|jakarta|io|com|org|picocli)(?:\\.[a-z_][a-z0-9_]*)+)\\.([A-Z]\\w*)");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(?!static)([\\w.]+)\\.(\\w+);");
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)");

  @Test
  void typesAreImportedNotQualifiedInline() throws IOException {
    List<String> found = new ArrayList<>();
    for (String root : List.of("src/main/java", "src/test/java")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          found.addAll(inlineNames(f));
        }
      }
    }
    assertThat(found).as("fully qualified type names used inline").isEmpty();
  }

  @Test
  void theScannerSeesCodeButNotCommentsOrStrings() {
    String code =
        "package a.b;\nclass X {\n  // java.util.List in a comment\n"
            + "  String s = \"java.util.Map\";\n  java.util.Set<String> set;\n}\n";
    assertThat(scan(code, Set.of())).containsExactly("java.util.Set");
  }

  private static List<String> inlineNames(Path file) throws IOException {
    Set<String> siblings = new HashSet<>();
    try (Stream<Path> dir = Files.list(file.getParent())) {
      dir.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".java"))
          .forEach(n -> siblings.add(n.substring(0, n.length() - 5)));
    }
    return scan(Files.readString(file), siblings).stream().map(n -> file + ": " + n).toList();
  }

  /** The inline qualified names in {@code source} whose simple name is free to import. */
  static List<String> scan(String source, Set<String> siblings) {
    String code = withoutCommentsAndStrings(source);
    Map<String, String> imported = new HashMap<>();
    Matcher im = IMPORT.matcher(code);
    while (im.find()) {
      imported.put(im.group(2), im.group(1) + "." + im.group(2));
    }
    Set<String> declared = new HashSet<>();
    Matcher dm = DECLARED.matcher(code);
    while (dm.find()) {
      declared.add(dm.group(1));
    }
    List<String> out = new ArrayList<>();
    for (String line : code.split("\n")) {
      if (line.strip().startsWith("import ") || line.strip().startsWith("package ")) {
        continue;
      }
      Matcher m = FQN.matcher(line);
      while (m.find()) {
        String simple = m.group(2);
        String full = m.group(1) + "." + simple;
        boolean clash =
            (imported.containsKey(simple) && !imported.get(simple).equals(full))
                || declared.contains(simple)
                || siblings.contains(simple);
        if (!clash) {
          out.add(full);
        }
      }
    }
    return out;
  }

  /** The source with comments and string, char and text-block contents blanked, lines kept. */
  static String withoutCommentsAndStrings(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        i = blank(s, i, end < 0 ? s.length() : end + 3, out);
      } else if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = blank(s, i, end < 0 ? s.length() : end, out);
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = blank(s, i, end < 0 ? s.length() : end + 2, out);
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        char q = s.charAt(i);
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != q && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        i = blank(s, i, Math.min(j + 1, s.length()), out);
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }

  private static int blank(String s, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(s.charAt(k) == '\n' ? '\n' : ' ');
    }
    return to;
  }
}
