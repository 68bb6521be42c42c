package health.gradus.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates files with the HL7 Java validation engine as HAPI FHIR 8.8.0 sets it up: FhirInstanceValidator
 * over DefaultProfileValidationSupport (R4 core), the Gradus FHIR package loaded from its tarball by
 * NpmPackageValidationSupport, CommonCodeSystemsTerminologyService, InMemoryTerminologyServerValidationSupport
 * and SnapshotGeneratingValidationSupport (our StructureDefinitions carry differentials only). No terminology
 * server and no resource fetcher: what a HAPI server with validation on does out of the box.
 *
 * <p>Usage: {@code java -cp target/classes:target/lib/*:<folder of the tarball> health.gradus.conformance.Validate
 * --package <file name of the tarball on the classpath> --list <inputs.tsv> --out <report.json> [--passes N]}.
 * The list has one {@code id<TAB>path} per line. Every file is validated once (cold), then N-1 more times
 * (warm, timed); the report holds the first pass's messages and both passes' timings. Exit 0 when every file
 * was validated (whatever it found); 2 on a usage or setup error.
 */
public final class Validate {
  /** Messages kept per file in the report: every error, and at most this many of the others. */
  private static final int MAX_OTHER_MESSAGES = 5;
  private static final int MAX_ERROR_MESSAGES = 50;

  private Validate() {}

  private record Input(String id, Path path) {}

  private record Outcome(int errors, int warnings, int information, List<SingleValidationMessage> messages, String crash) {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i], args[i + 1]);
    String packageName = options.get("--package");
    String list = options.get("--list");
    String out = options.get("--out");
    int passes = Integer.parseInt(options.getOrDefault("--passes", "2"));
    if (packageName == null || list == null || out == null || passes < 1) {
      System.err.println("usage: Validate --package <tarball on the classpath> --list <inputs.tsv> --out <report.json> [--passes N]");
      System.exit(2);
    }

    List<Input> inputs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(list), StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      String[] parts = line.split("\t", 2);
      inputs.add(new Input(parts[0], Path.of(parts[1])));
    }

    long t0 = System.nanoTime();
    FhirContext ctx = FhirContext.forR4Cached();
    NpmPackageValidationSupport gradus = new NpmPackageValidationSupport(ctx);
    gradus.loadPackageFromClasspath("classpath:" + packageName);
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(ctx),
        gradus,
        new CommonCodeSystemsTerminologyService(ctx),
        new InMemoryTerminologyServerValidationSupport(ctx),
        new SnapshotGeneratingValidationSupport(ctx));
    FhirValidator validator = ctx.newValidator();
    validator.registerValidatorModule(new FhirInstanceValidator(chain));
    long setupNanos = System.nanoTime() - t0;

    Map<String, Integer> loaded = new TreeMap<>();
    for (IBaseResource r : gradus.fetchAllConformanceResources()) {
      loaded.merge(ctx.getResourceType(r), 1, Integer::sum);
    }

    List<String> texts = new ArrayList<>();
    for (Input input : inputs) texts.add(Files.readString(input.path(), StandardCharsets.UTF_8));

    long c0 = System.nanoTime();
    List<Outcome> outcomes = new ArrayList<>();
    for (String text : texts) outcomes.add(validate(validator, text));
    long coldNanos = System.nanoTime() - c0;

    long w0 = System.nanoTime();
    int unstable = 0;
    long[] fileNanos = new long[texts.size()];
    for (int pass = 1; pass < passes; pass++) {
      for (int i = 0; i < texts.size(); i++) {
        long f0 = System.nanoTime();
        Outcome again = validate(validator, texts.get(i));
        fileNanos[i] += System.nanoTime() - f0;
        if (again.errors() != outcomes.get(i).errors()) unstable++;
      }
    }
    long warmNanos = System.nanoTime() - w0;
    int warmFiles = texts.size() * (passes - 1);

    StringBuilder json = new StringBuilder();
    json.append("{\n  \"engine\": ").append(str("HAPI FHIR " + ca.uhn.fhir.util.VersionUtil.getVersion() + " FhirInstanceValidator"));
    json.append(",\n  \"package\": ").append(str(packageName));
    json.append(",\n  \"packageResources\": {");
    boolean first = true;
    for (Map.Entry<String, Integer> e : loaded.entrySet()) {
      json.append(first ? "" : ", ").append(str(e.getKey())).append(": ").append(e.getValue());
      first = false;
    }
    json.append("}");
    json.append(",\n  \"timing\": {\"setupMs\": ").append(ms(setupNanos))
        .append(", \"coldPassMs\": ").append(ms(coldNanos))
        .append(", \"warmFiles\": ").append(warmFiles)
        .append(", \"warmMs\": ").append(ms(warmNanos))
        .append(", \"warmFilesPerSecond\": ")
        .append(warmFiles == 0 ? "null" : String.format(java.util.Locale.ROOT, "%.1f", warmFiles / (warmNanos / 1e9)))
        .append(", \"unstableResults\": ").append(unstable).append("}");
    json.append(",\n  \"files\": [");
    for (int i = 0; i < inputs.size(); i++) {
      Outcome o = outcomes.get(i);
      json.append(i == 0 ? "\n    " : ",\n    ");
      json.append("{\"id\": ").append(str(inputs.get(i).id()))
          .append(", \"errors\": ").append(o.errors())
          .append(", \"warnings\": ").append(o.warnings())
          .append(", \"information\": ").append(o.information())
          .append(", \"warmMs\": ").append(passes > 1 ? String.format(java.util.Locale.ROOT, "%.2f", fileNanos[i] / 1e6 / (passes - 1)) : "null");
      if (o.crash() != null) json.append(", \"crash\": ").append(str(o.crash()));
      json.append(", \"messages\": [");
      for (int m = 0; m < o.messages().size(); m++) {
        SingleValidationMessage msg = o.messages().get(m);
        json.append(m == 0 ? "" : ", ")
            .append("{\"severity\": ").append(str(msg.getSeverity().getCode()))
            .append(", \"location\": ").append(str(msg.getLocationString()))
            .append(", \"messageId\": ").append(str(msg.getMessageId()))
            .append(", \"message\": ").append(str(msg.getMessage())).append("}");
      }
      json.append("]}");
    }
    json.append("\n  ]\n}\n");
    Files.writeString(Path.of(out), json.toString(), StandardCharsets.UTF_8);
    System.out.printf(java.util.Locale.ROOT, "validated %d files: setup %d ms, cold pass %d ms, warm %.1f files/s%n",
        inputs.size(), ms(setupNanos), ms(coldNanos), warmFiles == 0 ? 0.0 : warmFiles / (warmNanos / 1e9));
  }

  private static Outcome validate(FhirValidator validator, String text) {
    try {
      ValidationResult result = validator.validateWithResult(text);
      int errors = 0, warnings = 0, information = 0, others = 0;
      List<SingleValidationMessage> kept = new ArrayList<>();
      for (SingleValidationMessage m : result.getMessages()) {
        ResultSeverityEnum s = m.getSeverity();
        boolean error = s == ResultSeverityEnum.ERROR || s == ResultSeverityEnum.FATAL;
        if (error) errors++;
        else if (s == ResultSeverityEnum.WARNING) warnings++;
        else information++;
        if (error ? errors <= MAX_ERROR_MESSAGES : others++ < MAX_OTHER_MESSAGES) kept.add(m);
      }
      return new Outcome(errors, warnings, information, kept, null);
    } catch (RuntimeException e) {
      return new Outcome(1, 0, 0, List.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static long ms(long nanos) {
    return Math.round(nanos / 1e6);
  }

  /** A JSON string literal (or null). */
  private static String str(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
