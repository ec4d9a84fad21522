package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The kernel watchdog ({@code /dev/watchdog}: hardware or {@code softdog}): every write pets it; writing 'V'
 * before closing disarms it (unless the driver was loaded with nowayout). If the daemon stops writing, the
 * kernel resets the machine after the driver's timeout. Java cannot issue the WDIOC_SETTIMEOUT ioctl, so the
 * timeout is the driver's (softdog: module parameter soft_margin) and is given here to pace the feeding.
 */
public final class DeviceWatchdog implements WatchdogFeeder {
  public static final Path DEFAULT = Path.of("/dev/watchdog");
  private final Path path;
  private final FileChannel channel;
  private final Duration timeout;

  private DeviceWatchdog(Path path, FileChannel channel, Duration timeout) {
    this.path = path;
    this.channel = channel;
    this.timeout = timeout;
  }

  /** Whether a watchdog device exists here. */
  public static boolean present(Path path) {
    return Files.exists(path) && !Files.isDirectory(path);
  }

  /** Opens (and thereby arms) the watchdog at {@code path} whose driver timeout is {@code driverTimeout}. */
  public static DeviceWatchdog open(Path path, Duration driverTimeout) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE);
    return new DeviceWatchdog(path, ch, driverTimeout);
  }

  @Override
  public synchronized void feed() throws IOException {
    channel.write(ByteBuffer.wrap(new byte[] {'k'}));
  }

  @Override
  public synchronized void disarm() throws IOException {
    channel.write(ByteBuffer.wrap(new byte[] {'V'}));
    channel.close();
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String describe() {
    return "device " + path;
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel.isOpen()) channel.close();
  }
}
