package com.quanyi.node.vault;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.inventory.CodeImportService;
import com.quanyi.http.inventory.VaultService;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.VaultKeys;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The vault as the HTTP API sees it. The HTTP server binds before Cassandra is reachable (to
 * answer 503 while starting), so the vault arrives later, through {@link #started}.
 */
public final class VaultDesk implements CodeImportService, VaultService {

  private final VaultKeys keys;
  private final Executor blocking;
  private volatile CodeImporter importer;
  private volatile CodeVault vault;

  public VaultDesk(VaultKeys keys, Executor blocking) {
    this.keys = keys;
    this.blocking = blocking;
  }

  public void started(CodeVault vault, CodeImporter importer) {
    this.vault = vault;
    this.importer = importer;
  }

  /** The vault, once the node reached Cassandra. */
  public java.util.Optional<CodeVault> vault() {
    return java.util.Optional.ofNullable(vault);
  }

  @Override
  public CompletionStage<Outcome> importCsv(Request request, Source<ByteString, ?> body) {
    CodeImporter current = importer;
    if (current == null) {
      return CompletableFuture.completedFuture(new Refused(ProblemCode.UNAVAILABLE, "the vault is not ready yet"));
    }
    return current.importCsv(request, body);
  }

  @Override
  public CompletionStage<Integer> rewrapBatchKeys() {
    CodeVault current = vault;
    if (current == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the vault is not ready yet"));
    }
    return CompletableFuture.supplyAsync(current::rewrapBatchKeys, blocking);
  }

  @Override
  public String currentMasterKeyId() {
    return keys.currentMasterKeyId();
  }
}
