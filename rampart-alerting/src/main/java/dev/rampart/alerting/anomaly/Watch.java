package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import java.util.List;

/** One anomaly detector's state: it looks at events, and its learnt state can be saved. */
interface Watch {
  String name();

  void observe(Event e, long offset, List<Alert> out);

  /** The learnt state as JSON (for the checkpoint). */
  JsonNode save();

  /** Takes back a state {@link #save} wrote; a detector that cannot read it starts afresh. */
  void load(JsonNode state);
}
