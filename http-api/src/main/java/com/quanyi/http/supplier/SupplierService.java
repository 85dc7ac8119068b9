package com.quanyi.http.supplier;

import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.protocol.supplier.RouteEntry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Suppliers and SKU routes as the admin API needs them; implemented by the node. */
public interface SupplierService {

  /** Body of {@code POST /admin/v1/suppliers}; {@code apiSecret} is sealed at once and never shown again. */
  record NewSupplier(String supplierId, String name, String endpoint, String apiKey, String apiSecret,
      Integer timeoutMillis, Integer maxConcurrent) {}

  /** This node's view of a supplier's health: its circuit and the requests in flight to it. */
  record Health(String circuit, int inFlight, int consecutiveFailures) {}

  record SupplierInfo(String supplierId, String name, String endpoint, String apiKey, int timeoutMillis,
      int maxConcurrent, Instant registeredAt, Health health) {}

  record RouteInfo(String skuId, List<RouteEntry> route) {}

  CompletionStage<Outcome<SupplierInfo>> register(NewSupplier supplier, String actor);

  CompletionStage<List<SupplierInfo>> list();

  CompletionStage<Outcome<RouteInfo>> setRoute(String skuId, List<RouteEntry> route, String actor);

  CompletionStage<RouteInfo> route(String skuId);
}
