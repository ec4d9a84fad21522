package io.vigil.agents.volume.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;

/** The real {@code vigil volume} CLI run in-process, and the key file its serve processes read. */
public final class VolumeCli {
  private VolumeCli() {}

  /** Runs {@code vigil volume ARGS} in-process; returns exit code and output (stdout and stderr together). */
  public static Proc.Result run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new io.vigil.cli.VolumeCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int exit = cl.execute(args);
    return new Proc.Result(exit, out.toString());
  }

  /** Writes {@code secret} to {@code file} with mode 0600, as a volume's {@code --key-file} must be. */
  public static Path keyFile(Path file, String secret) throws IOException {
    Files.writeString(file, secret);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
