package io.vigil.agents.volume;

/** What a volume engine may ask of its peer link (enable or disable sessions). */
public interface LinkControl {
  LinkControl NONE = new LinkControl() {
    @Override public void enable() {}
    @Override public void disable(String why) {}
  };

  void enable();

  void disable(String why);
}
