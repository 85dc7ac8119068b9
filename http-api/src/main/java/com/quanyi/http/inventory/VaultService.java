package com.quanyi.http.inventory;

import java.util.concurrent.CompletionStage;

/** Master-key rotation: re-wraps every batch key under the current master key (no code is re-encrypted). */
public interface VaultService {
  CompletionStage<Integer> rewrapBatchKeys();

  String currentMasterKeyId();
}
