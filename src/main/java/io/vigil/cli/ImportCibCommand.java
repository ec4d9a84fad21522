package io.vigil.cli;

import io.vigil.config.ConfigWriter;
import io.vigil.config.cib.CibImport;
import io.vigil.config.cib.CibImporter;
import io.vigil.config.cib.CibRefusedException;
import io.vigil.config.cib.ImportNote;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil import-cib cib.xml [-o cluster.yaml]}: converts a Pacemaker CIB to cluster.yaml,
 * listing on stderr every element it could not convert and why. Exit 0 when imported (even with
 * notes), 1 when the file is refused.
 */
@Command(name = "import-cib", mixinStandardHelpOptions = true,
    description = {"Convert a Pacemaker CIB (cibadmin --query > cib.xml) into cluster.yaml.",
        "Prints the YAML on standard output (or to -o FILE) and, on standard error, each element that "
            + "was skipped or adjusted, and why."},
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:imported (notes on standard error list what was skipped or adjusted)",
        "1:refused (not a CIB, malformed or hostile XML, too large) or the output could not be written",
        "2:usage error"})
public final class ImportCibCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The CIB XML file, or - to read standard input.")
  String file;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the YAML to FILE instead of standard output.")
  Path output;

  /** Standard input, replaceable by tests. */
  InputStream stdin = System.in;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    CibImport result;
    try {
      CibImporter importer = new CibImporter();
      result = file.equals("-") ? importer.importStream(stdin, "-") : importer.importFile(Path.of(file));
    } catch (CibRefusedException e) {
      err.println("import-cib: " + e.getMessage());
      err.flush();
      return 1;
    }
    for (ImportNote note : result.notes()) err.println("import-cib: " + note);
    String yaml = "# Imported from " + (file.equals("-") ? "standard input" : file) + " by vigil import-cib"
        + (result.notes().isEmpty() ? "" : "; " + result.notes().size() + " element(s) skipped or adjusted (see its stderr)")
        + ".\n" + ConfigWriter.write(result.config());
    if (output == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
    } else {
      try {
        writeAtomically(output, yaml);
      } catch (IOException e) {
        err.println("import-cib: cannot write " + output + ": " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    var c = result.config();
    long skipped = result.notes().stream().filter(n -> n.kind() == ImportNote.Kind.SKIPPED).count();
    err.printf("import-cib: %s: %d nodes, %d resources, %d constraints, %d fencing levels imported; "
            + "%d skipped, %d adjusted%s%n", file, c.nodes().size(), c.allResources().size(), c.constraints().size(),
        c.fencingLevels().size(), skipped, result.notes().size() - skipped, output == null ? "" : "; wrote " + output);
    err.flush();
    return 0;
  }

  /** Writes next to the target and renames, so a failed import never leaves half a file. */
  private static void writeAtomically(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
