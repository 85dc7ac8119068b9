package com.quanyi.http.redemption;

/** What the redemption routes answer from: verifiers, redemptions and code traces. */
public record RedemptionApi(VerifierService verifiers, RedemptionService redemptions, CodeTraceService traces) {}
