package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;

/** The secret a supplier issued to Quanyi, sealed under a vault master key; never in the clear. */
public record SupplierCredentials(String masterKeyId, byte[] sealedSecret) implements CborSerializable {

  @Override
  public String toString() {
    return "SupplierCredentials[masterKeyId=" + masterKeyId + ", sealedSecret=<" + sealedSecret.length + " bytes>]";
  }
}
