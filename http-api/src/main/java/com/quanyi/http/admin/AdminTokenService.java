package com.quanyi.http.admin;

import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenInfo;
import com.quanyi.protocol.admin.Role;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Issues, revokes and lists admin tokens; a token is shown once, when issued, and stored as a digest. */
public interface AdminTokenService extends AdminAuthenticator {

  /** The new token, or empty if a token of that name exists. */
  CompletionStage<Optional<String>> issue(String name, Role role, String actor);

  /** False if no token has that name. */
  CompletionStage<Boolean> revoke(String name, String actor);

  CompletionStage<List<TokenInfo>> list();
}
