package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding this process's cgroup v2 directory from /proc files, and safe directory names for resources. */
class ResourceCgroupsTest {
  @TempDir Path tmp;

  Path file(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void theOwnCgroupIsTheCgroup2MountPlusThePathInProcSelfCgroup() throws Exception {
    Path mountinfo = file("mountinfo", """
        30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
        36 25 0:32 / /sys/fs/cgroup/unified rw,relatime shared:14 - cgroup2 cgroup2 rw
        """);
    assertThat(ResourceCgroups.ownCgroup(mountinfo, file("root", "4:memory:/x\n0::/\n"))).contains(Path.of("/sys/fs/cgroup/unified"));
    assertThat(ResourceCgroups.ownCgroup(mountinfo, file("svc", "0::/system.slice/vigil.service\n")))
        .contains(Path.of("/sys/fs/cgroup/unified/system.slice/vigil.service"));
  }

  @Test
  void aMountOfASubtreeIsTakenIntoAccountAndNoCgroup2MeansNone() throws Exception {
    Path sub = file("sub", "40 25 0:32 /system.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    assertThat(ResourceCgroups.ownCgroup(sub, file("c", "0::/system.slice/vigil.service\n")))
        .contains(Path.of("/sys/fs/cgroup/vigil.service"));
    Path v1only = file("v1", "30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    assertThat(ResourceCgroups.ownCgroup(v1only, file("c1", "0::/\n"))).isEmpty();
    assertThat(ResourceCgroups.ownCgroup(sub, file("noV2", "4:memory:/x\n"))).isEmpty();
  }

  @Test
  void resourceIdsBecomeSafeDirectoryNames() {
    assertThat(ResourceCgroups.dirName("web:1")).isEqualTo("web:1");
    assertThat(ResourceCgroups.dirName("a/b c")).isEqualTo("a_b_c");
    assertThat(ResourceCgroups.dirName("..")).isEqualTo("r_..");
    assertThat(ResourceCgroups.dirName("cgroup.kill")).isEqualTo("r_cgroup.kill");
    assertThat(ResourceCgroups.nameFor("node/1", Path.of("/var/lib/vigil"))).startsWith("node_1-").matches("[A-Za-z0-9_.-]+");
  }
}
