package com.quanyi.http.callback;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A channel's parked callbacks, for operators; implemented by the node over the outboxes. */
public interface CallbackService {

  record ParkedCallback(String eventId, String orderId, String url, int attempts, String lastError, Instant parkedAt) {}

  CompletionStage<List<ParkedCallback>> parked(String channelId);

  /** True when the callback was parked and is queued again; false when there is no such parked callback. */
  CompletionStage<Boolean> replay(String channelId, String eventId, String actor);
}
