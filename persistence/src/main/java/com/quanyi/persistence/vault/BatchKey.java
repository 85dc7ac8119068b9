package com.quanyi.persistence.vault;

import javax.crypto.SecretKey;

/** An open batch's data key, held only while codes are written or revealed. */
public record BatchKey(String skuId, String batchId, SecretKey dataKey) {
  @Override
  public String toString() {
    return "BatchKey[skuId=" + skuId + ", batchId=" + batchId + "]";
  }
}
