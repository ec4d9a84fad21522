package io.vigil.agents.balancer.proxy;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Works around a Netty 4.2.18 epoll bug: when a socket's interest set becomes empty (after the
 * peer's FIN: input shut down, read interest and RDHUP cleared, nothing left to write),
 * {@code EpollIoHandler} removes it from the epoll set ({@code EPOLL_CTL_DEL}) but keeps it marked
 * as added, so the next write that needs {@code EPOLLOUT} does {@code EPOLL_CTL_MOD}, gets ENOENT,
 * and the output is shut down: a large response sent after the client's FIN is cut off.
 *
 * <p>The fix: once a socket's input is shut down (its last byte read), {@code EPOLLET} joins its
 * interest set, so the set is never empty and the registration is only ever modified. Only
 * {@code EPOLLOUT} is still asked for then, which Netty re-arms after every write that could not
 * finish (edge-triggered is correct for that, as nginx uses it); and an error or hang-up on the
 * half-closed socket is reported once instead of at every wait (level-triggered {@code EPOLLERR}
 * or {@code EPOLLHUP} with nothing to read or write would spin the event loop, which is why Netty
 * deletes the registration). It costs no system call: the bit rides on the {@code epoll_ctl} Netty
 * makes right after the input shutdown anyway. Netty has no API for it, so the channel's private
 * interest field is set through a VarHandle, on the channel's event loop.
 */
final class EpollInterest {
  private static final VarHandle OPS = opsField();

  private EpollInterest() {
  }

  private static VarHandle opsField() {
    if (!Epoll.isAvailable()) {
      return null;
    }
    try {
      Class<?> c = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
      return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, "ops", EpollIoOps.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the workaround can be applied (native epoll loaded and Netty's interest field found). */
  static boolean available() {
    return OPS != null;
  }

  /**
   * Makes an epoll channel whose input was shut down edge-triggered (other channels are left
   * alone); call on the channel's event loop when its {@code ChannelInputShutdownEvent} arrives.
   */
  static void inputShutdown(Channel ch) {
    if (OPS != null && ch instanceof EpollSocketChannel) {
      EpollIoOps ops = (EpollIoOps) OPS.get(ch);
      OPS.set(ch, ops.with(EpollIoOps.EPOLLET));
    }
  }

  /**
   * Puts read interest into an epoll channel's interest set before it is registered, so the
   * {@code EPOLL_CTL_ADD} at registration (accepted socket) or connect (backend socket) carries it.
   * Netty adds it only when the channel becomes active and reads, with an {@code EPOLL_CTL_MOD} of
   * its own: one system call per socket saved, two per proxied connection. Harmless before the
   * channel is active: a connecting socket reports EPOLLIN only with data or an error, and Netty
   * handles the connect's EPOLLOUT first.
   */
  static void readFromStart(Channel ch) {
    if (OPS != null && ch instanceof EpollSocketChannel && !ch.isRegistered()) {
      EpollIoOps ops = (EpollIoOps) OPS.get(ch);
      OPS.set(ch, ops.with(EpollIoOps.EPOLLIN));
    }
  }

  /** The channel's interest set as Netty holds it (for tests); -1 when not an epoll channel. */
  static int interest(Channel ch) {
    return OPS != null && ch instanceof EpollSocketChannel ? ((EpollIoOps) OPS.get(ch)).value() : -1;
  }
}
