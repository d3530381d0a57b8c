package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Setting} is the one declaration of every setting: README.md's table,
 * application.properties and {@link TetherConfig} must say the same, so that drift fails the build.
 */
class SettingDeclarationTest {
  /** A {@code ${TETHER_...}} reference in application.properties. */
  private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{(TETHER_[A-Z_]+)");

  @Test
  void readmeConfigurationTableListsExactlyTheDeclaredSettingsWithTheirDefaults()
      throws IOException {
    String expected =
        Stream.of(Setting.values())
            .map(
                s ->
                    "| `"
                        + s.variable()
                        + "` | "
                        + (s.defaultValue().isEmpty() ? "—" : "`" + s.defaultValue() + "`")
                        + " | "
                        + s.doc()
                        + " |")
            .collect(Collectors.joining("\n"));
    String actual =
        configurationSection()
            .lines()
            .filter(line -> line.startsWith("| `TETHER_"))
            .collect(Collectors.joining("\n"));
    assertEquals(expected, actual, "README.md's configuration table, rendered from Setting");
  }

  @Test
  void applicationPropertiesMapEachSettingFromItsVariableWithItsDefault() throws IOException {
    Properties properties = applicationProperties();
    for (Setting setting : Setting.values()) {
      for (String property : setting.properties()) {
        assertEquals(
            "${" + setting.variable() + ":" + setting.defaultValue() + "}",
            properties.getProperty(property),
            property + " in application.properties");
      }
    }
  }

  @Test
  void applicationPropertiesReadOnlyDeclaredVariablesIntoDeclaredProperties() throws IOException {
    Properties properties = applicationProperties();
    Set<String> declared = new TreeSet<>();
    for (Setting setting : Setting.values()) {
      setting.properties().forEach(p -> declared.add(p + "=" + setting.variable()));
    }
    Set<String> read = new TreeSet<>();
    for (String property : properties.stringPropertyNames()) {
      Matcher m = VARIABLE_REFERENCE.matcher(properties.getProperty(property));
      while (m.find()) {
        read.add(property + "=" + m.group(1));
      }
    }
    assertEquals(declared, read, "property=VARIABLE pairs in application.properties");
  }

  @Test
  void everyTetherConfigPropertyIsADeclaredSetting() {
    List<String> mapped = new ArrayList<>();
    collectProperties("tether", TetherConfig.class, mapped);
    Set<String> declared =
        Stream.of(Setting.values())
            .flatMap(s -> s.properties().stream())
            .filter(p -> p.startsWith("tether."))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(declared, new TreeSet<>(mapped), "TetherConfig's properties");
  }

  @Test
  void everyDeclaredDefaultPassesItsOwnCheck() {
    for (Setting setting : Setting.values()) {
      // DATA_DIR's check creates the directory: BootSettingsTest checks it in a temporary one.
      if (!setting.defaultValue().isEmpty() && setting != Setting.DATA_DIR) {
        setting.check(setting.defaultValue());
      }
    }
  }

  /** Walks the mapping: a method returning a nested group is a prefix, any other a property. */
  private static void collectProperties(String prefix, Class<?> group, List<String> into) {
    for (Method method : group.getDeclaredMethods()) {
      String name = prefix + "." + kebab(method.getName());
      if (method.getReturnType().getEnclosingClass() == TetherConfig.class) {
        collectProperties(name, method.getReturnType(), into);
      } else {
        into.add(name);
      }
    }
  }

  /** SmallRye's default naming: {@code deadAfter} is {@code dead-after}. */
  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static String configurationSection() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Configuration\n");
    assertTrue(start >= 0, "README.md has a Configuration section");
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static Properties applicationProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        SettingDeclarationTest.class.getResourceAsStream("/application.properties")) {
      properties.load(in);
    }
    return properties;
  }
}
