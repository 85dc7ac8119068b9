package com.quanyi.http.inventory;

import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.vault.ImportResult;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Imports a CSV of codes into a new encrypted batch of a SKU, streaming: the body is read as it
 * arrives and never held whole. Implemented by the node, which owns the vault and the entities.
 */
public interface CodeImportService {

  CompletionStage<Outcome> importCsv(Request request, Source<ByteString, ?> body);

  /** @param unitCost what one code cost, in minor units of the SKU's currency */
  record Request(String skuId, String supplierId, long unitCost, String actor) {}

  sealed interface Outcome permits Imported, Refused {}

  record Imported(ImportResult result) implements Outcome {}

  /** Nothing was imported; the detail is safe to show. */
  record Refused(ProblemCode code, String detail) implements Outcome {}
}
