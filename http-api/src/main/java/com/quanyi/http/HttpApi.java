package com.quanyi.http;

import com.quanyi.http.admin.AdminTokenService;
import com.quanyi.http.admin.TokenRoutes;
import com.quanyi.http.callback.CallbackRoutes;
import com.quanyi.http.console.AlertService;
import com.quanyi.http.console.ConsoleRoutes;
import com.quanyi.http.console.LiveService;
import com.quanyi.http.callback.CallbackService;
import com.quanyi.http.channel.ChannelRoutes;
import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.channel.PartnerRoutes;
import com.quanyi.http.channel.SignedRoutes;
import com.quanyi.http.redemption.CodeTraceRoutes;
import com.quanyi.http.redemption.RedemptionApi;
import com.quanyi.http.redemption.RedemptionRoutes;
import com.quanyi.http.redemption.VerifierRoutes;
import com.quanyi.http.inventory.BundleService;
import com.quanyi.http.inventory.CodeImportService;
import com.quanyi.http.inventory.SkuRoutes;
import com.quanyi.http.inventory.VaultService;
import com.quanyi.http.inventory.VaultRoutes;
import com.quanyi.http.order.AdminOrderRoutes;
import com.quanyi.http.reporting.ReportRoutes;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.http.risk.RiskRoutes;
import com.quanyi.http.risk.RiskService;
import com.quanyi.http.supplier.SupplierRoutes;
import com.quanyi.http.supplier.SupplierService;
import com.quanyi.http.order.OrderService;
import com.quanyi.protocol.reporting.InvalidCursor;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole public HTTP API: admin and partner routes under one error model. Every failure a
 * caller can cause ends as {@code application/problem+json}; nothing else leaves this route.
 */
public final class HttpApi extends ApiDirectives {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final SkuRoutes skus;
  private final TokenRoutes tokens;
  private final VaultRoutes vault;
  private final ChannelRoutes channels;
  private final PartnerRoutes partner;
  private final AdminOrderRoutes adminOrders;
  private final SupplierRoutes suppliers;
  private final CallbackRoutes callbacks;
  private final RiskRoutes risk;
  private final ReportRoutes reports;
  private final ConsoleRoutes console;
  private final VerifierRoutes verifiers;
  private final RedemptionRoutes redemptions;
  private final SignedRoutes verifierSigning;
  private final CodeTraceRoutes traces;
  private final long maxBodyBytes;
  private final BooleanSupplier serving;
  private final Admission partnerAdmission;

  /**
   * @param serving false while the node is still starting (or stopping): every request then gets
   *     a 503 UNAVAILABLE instead of reaching an entity that is not there yet
   * @param partnerAnswered told the status of every partner API answer (see {@link Admission})
   */
  public HttpApi(ActorSystem<?> system, AdminTokenService admins, CodeImportService imports, BundleService bundles,
      VaultService vaultService,
      ChannelService channelService, OrderService orderService, SupplierService supplierService,
      CallbackService callbackService, RiskService riskService, Supplier<ReportingService> reportingService,
      LiveService live, AlertService alerts, RedemptionApi redemption, Duration askTimeout, long maxBodyBytes, int maxPartnerRequestsInFlight,
      IntConsumer partnerAnswered, BooleanSupplier serving) {
    this.reports = new ReportRoutes(admins, reportingService, org.apache.pekko.stream.Materializer.matFromSystem(system));
    this.risk = new RiskRoutes(admins, riskService);
    this.channels = new ChannelRoutes(admins, channelService);
    this.partner = new PartnerRoutes(channelService, orderService, Clock.systemUTC());
    this.adminOrders = new AdminOrderRoutes(admins, orderService);
    this.suppliers = new SupplierRoutes(admins, supplierService);
    this.callbacks = new CallbackRoutes(admins, callbackService);
    this.skus = new SkuRoutes(system, admins, imports, bundles, askTimeout);
    this.tokens = new TokenRoutes(admins);
    this.vault = new VaultRoutes(admins, vaultService);
    this.console = new ConsoleRoutes(admins, live, alerts);
    this.verifiers = new VerifierRoutes(admins, redemption.verifiers());
    this.redemptions = new RedemptionRoutes(redemption.redemptions());
    this.verifierSigning = new SignedRoutes(redemption.verifiers(), Clock.systemUTC());
    this.traces = new CodeTraceRoutes(admins, redemption.traces());
    this.maxBodyBytes = maxBodyBytes;
    this.serving = serving;
    this.partnerAdmission = new Admission(maxPartnerRequestsInFlight, partnerAnswered);
  }

  /**
   * The route tree, built once. The Java DSL calls a directive's inner {@code Supplier} on every
   * request, so a tree built inside those suppliers is built again for every request (every admin
   * route, the exception and rejection handlers): each level here hands back a route made before.
   */
  public Route route() {
    ExceptionHandler exceptions = exceptions();
    Route adminRoutes = concat(suppliers.route(), skus.route(), tokens.route(), vault.route(), callbacks.route(),
        channels.route(), adminOrders.route(), risk.route(), reports.route(), verifiers.route(), traces.route(),
        console.admin());
    Route adminV1 = pathPrefix("v1", () -> adminRoutes);
    Route admin = pathPrefix("admin", () -> adminV1);
    // Exceptions become responses inside the admission: a request refused by one still ends as a
    // route result, which is what gives its place in flight back.
    // Channels order; verifiers redeem: each with its own keys, signed the same way.
    Route partnerRoutes = concat(partner.route(), redemptions.route(verifierSigning::signed));
    Route partnerHandled = handleExceptions(exceptions, () -> partnerRoutes);
    Route admitted = partnerAdmission.admitted(() -> partnerHandled);
    Route apiV1 = pathPrefix("v1", () -> admitted);
    Route api = pathPrefix("api", () -> apiV1);
    Route both = concat(admin, api);
    Route limited = withSizeLimit(maxBodyBytes, () -> both);
    Route yaml = getFromResource("com/quanyi/http/openapi.yaml",
        ContentTypes.create(MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8)));
    Route getYaml = get(() -> yaml);
    Route page = console.page();
    Route all = concat(path("openapi.yaml", () -> getYaml), page, whenServing(() -> limited));
    Route handled = handleRejections(rejections(), () -> all);
    return handleExceptions(exceptions, () -> handled);
  }

  private Route whenServing(Supplier<Route> inner) {
    return extractRequestContext(ctx -> serving.getAsBoolean()
        ? inner.get()
        : complete(problem(ProblemCode.UNAVAILABLE, "the node is starting or stopping; retry shortly")));
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(ApiJson.InvalidRequest.class, e -> complete(problem(ProblemCode.INVALID_REQUEST, e.getMessage())))
        .match(InvalidCursor.class, e -> complete(problem(ProblemCode.INVALID_REQUEST, e.getMessage())))
        .match(EntityStreamSizeException.class, e ->
            complete(problem(ProblemCode.PAYLOAD_TOO_LARGE, "request body exceeds " + e.limit() + " bytes")))
        .matchAny(e -> {
          // Only the type: exception texts are not vetted for secrets.
          log.error("Unhandled {} while serving a request", e.getClass().getName());
          return complete(problem(ProblemCode.INTERNAL, "unexpected error; it has been logged"));
        })
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rs -> complete(problem(ProblemCode.METHOD_NOT_ALLOWED,
            "allowed here: " + rs.stream().map(r -> r.supported().name()).distinct().sorted().toList())))
        .handle(MalformedRequestContentRejection.class, r -> complete(r.getCause() instanceof EntityStreamSizeException
            ? problem(ProblemCode.PAYLOAD_TOO_LARGE, "request body exceeds " + maxBodyBytes + " bytes")
            : problem(ProblemCode.INVALID_REQUEST, "the request body could not be read")))
        .handle(UnsupportedRequestContentTypeRejection.class, r ->
            complete(problem(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type")))
        .handleNotFound(complete(problem(ProblemCode.NOT_FOUND, "no such resource")))
        .handle(Rejection.class, r -> complete(fallback(r)))
        .build();
  }

  private static HttpResponse fallback(Rejection rejection) {
    return problem(ProblemCode.INVALID_REQUEST, "the request was not understood");
  }
}
