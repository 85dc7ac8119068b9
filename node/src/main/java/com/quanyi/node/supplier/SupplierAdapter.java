package com.quanyi.node.supplier;

import com.quanyi.protocol.supplier.TopupRequest;
import com.quanyi.protocol.supplier.TopupResult;
import java.util.concurrent.CompletionStage;

/**
 * One supplier's protocol, reduced to what routing needs. An adapter never throws for what the
 * supplier did or did not answer: every outcome, including timeouts, is a {@link TopupResult}.
 */
public interface SupplierAdapter {

  CompletionStage<TopupResult> submit(TopupRequest request);

  CompletionStage<TopupResult> query(String supplierOrderId);
}
