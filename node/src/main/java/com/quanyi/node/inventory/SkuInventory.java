package com.quanyi.node.inventory;

import static com.quanyi.protocol.inventory.SkuInventoryProtocol.TYPE_KEY;

import com.quanyi.node.WriteGuard;
import com.quanyi.node.groupcommit.GroupCommit;
import com.quanyi.node.metrics.GroupMeter;
import com.quanyi.node.projection.EventTags;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BundleOf;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.CodesExpired;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationsConfirmed;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Available;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchAdded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchUnfrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BuyerLimitReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Command;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.ConfirmAllocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Event;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.FreezeBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HeldOtherwise;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Invalid;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.LowStockReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.NotFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HandedOutAgain;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.NothingToRelease;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OrderSlots;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Peek;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Released;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUnavailable;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUpdated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnfreezeBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsAllocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsReleased;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UpdateSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.Reconcile;
import com.quanyi.protocol.order.OrderProcessProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One SKU: its catalog definition and its stock, as one persistent actor, so every decision about
 * the SKU is taken in one place, in memory. Sharding runs it behind a {@link GroupCommit} front
 * that hands it allocations in groups: one journal write serves a whole group.
 */
public final class SkuInventory
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, InventoryState> {

  /** Time to ask about holds no order confirmed. */
  record ReconcileTick() implements SkuInventoryProtocol.Internal {}

  /** Time to write the confirmations received since the last such write. */
  record WriteConfirmations() implements SkuInventoryProtocol.Internal {}

  /** The allocation requests gathered while a write was in flight. */
  record AllocateGroup(List<Allocate> requests) implements SkuInventoryProtocol.Internal {}

  /**
   * The persistent part decided a group (and wrote it, if it allocated
   * anything), so its group commit front may send the next one.
   */
  record GroupDone(long available) implements SkuInventoryProtocol.Internal {}

  /** Holds asked about per tick; with more waiting, the next tick comes after a second. */
  static final int RECONCILE_PER_TICK = 1000;
  private static final String MORE_TO_RECONCILE = "more-to-reconcile";
  private static final Duration CONFIRMATIONS_EVERY = Duration.ofSeconds(1);

  private final String skuId;
  private final ActorRef<Command> front;
  private final Clock clock;
  private final InventorySettings settings;
  private final ActorSystem<?> system;
  private final TimerScheduler<Command> timers;
  /** Confirmations received and not yet written (see {@link AllocationsConfirmed}). */
  private final Set<String> unwritten = new LinkedHashSet<>();
  private final HandOuts handOuts = new HandOuts();
  /** Where reconciliation asks about an order: its entity, wherever sharding runs it. */
  private final Function<String, RecipientRef<OrderProcessProtocol.Command>> orders;
  private final ActorRef<Command> self;

  private SkuInventory(String skuId, ActorRef<Command> front, Clock clock, InventorySettings settings,
      ActorSystem<?> system, TimerScheduler<Command> timers,
      Function<String, RecipientRef<OrderProcessProtocol.Command>> orders, ActorRef<Command> self) {
    super(PersistenceId.of(TYPE_KEY.name(), skuId));
    this.self = self;
    this.skuId = skuId;
    this.front = front;
    this.clock = clock;
    this.settings = settings;
    this.system = system;
    this.timers = timers;
    this.orders = orders;
  }

  /**
   * Remembered by sharding: after a node dies, its SKUs start again elsewhere at once, and with them
   * the reconciliation of the orders that were in flight, whether or not anyone orders the SKU again.
   */
  public static void init(ActorSystem<?> system, InventorySettings settings) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> withGroupCommit(ctx.getEntityId(), settings,
        Clock.systemUTC())).withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  private static final GroupMeter ALLOCATION_GROUPS = GroupMeter.of("inventory");

  /** The SKU as sharding runs it: allocations grouped in front of the persistent part. */
  public static Behavior<Command> withGroupCommit(String skuId, InventorySettings settings, Clock clock) {
    return GroupCommit.create(front -> create(skuId, front, clock, settings), new GroupCommit.Spec<>(
        Allocate.class, GroupDone.class, AllocateGroup::new,
        request -> request.replyTo().tell(new AllocationOverloaded()),
        settings.maxWaitingAllocations(), settings.maxGroupSize(), ALLOCATION_GROUPS));
  }

  /** The persistent part; {@code front} is told when each allocation group is done. */
  public static Behavior<Command> create(String skuId, ActorRef<Command> front, Clock clock,
      InventorySettings settings) {
    return create(skuId, front, clock, settings, null);
  }

  /** {@code orders}: where reconciliation asks about an order; null for the order entities. */
  static Behavior<Command> create(String skuId, ActorRef<Command> front, Clock clock, InventorySettings settings,
      Function<String, RecipientRef<OrderProcessProtocol.Command>> orders) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new ReconcileTick(), settings.reconcileEvery());
      timers.startTimerWithFixedDelay(new WriteConfirmations(), CONFIRMATIONS_EVERY);
      Function<String, RecipientRef<OrderProcessProtocol.Command>> askedAbout = orders != null ? orders
          : orderId -> ClusterSharding.get(ctx.getSystem()).entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId);
      return new SkuInventory(skuId, front, clock, settings, ctx.getSystem(), timers, askedAbout, ctx.getSelf());
    }));
  }

  /** Every SKU event is tagged: the inventory view and supplier statements read them. */
  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(EventTags.tagFor(EventTags.SKU, skuId, settings.tags()));
  }

  @Override
  public InventoryState emptyState() {
    return new InventoryState(settings.holdWindow());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SnapshotAdapter<InventoryState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(InventoryState state) {
        return InventorySnapshot.of(state);
      }

      @Override
      public InventoryState fromJournal(Object from) {
        return ((InventorySnapshot) from).toState(settings.holdWindow());
      }
    };
  }

  @Override
  public CommandHandlerWithReply<Command, Event, InventoryState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.isRegistered())
        .onCommand(RegisterSku.class, (state, cmd) -> Effect()
            .persist(new SkuRegistered(cmd.definition(), cmd.actor(), clock.instant()))
            .thenReply(cmd.replyTo(), s -> new Registered(s.view())))
        .onCommand(GetSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(UpdateSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(AddBatch.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(GetBatch.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(FreezeBatch.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(UnfreezeBatch.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()))
        .onCommand(Release.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NothingToRelease(cmd.orderId())))
        .onCommand(Allocate.class, (state, cmd) -> allocate(state, List.of(cmd)))
        .onCommand(AllocateGroup.class, (state, cmd) -> allocate(state, cmd.requests()))
        .onCommand(Peek.class, (state, cmd) -> Effect().reply(cmd.replyTo(), peek(state, cmd)))
        .onCommand(GroupDone.class, (state, cmd) -> Effect().noReply())
        .onCommand(ConfirmAllocation.class, (state, cmd) -> Effect().noReply())
        .onCommand(ReconcileTick.class, (state, cmd) -> Effect().noReply())
        .onCommand(WriteConfirmations.class, (state, cmd) -> Effect().noReply());
    builder.forState(InventoryState::isRegistered)
        .onCommand(RegisterSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new AlreadyRegistered(state.view())))
        .onCommand(GetSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Found(state.view())))
        .onCommand(UpdateSku.class, this::update)
        .onCommand(AddBatch.class, this::addBatch)
        .onCommand(GetBatch.class, (state, cmd) -> Effect().reply(cmd.replyTo(), batchLookup(state, cmd.batchId())))
        .onCommand(FreezeBatch.class, (state, cmd) -> freeze(state, cmd.batchId(), true, cmd.actor(), cmd.replyTo()))
        .onCommand(UnfreezeBatch.class, (state, cmd) -> freeze(state, cmd.batchId(), false, cmd.actor(), cmd.replyTo()))
        .onCommand(Release.class, this::release)
        .onCommand(Allocate.class, (state, cmd) -> allocate(state, List.of(cmd)))
        .onCommand(AllocateGroup.class, (state, cmd) -> allocate(state, cmd.requests()))
        .onCommand(Peek.class, (state, cmd) -> Effect().reply(cmd.replyTo(), peek(state, cmd)))
        .onCommand(GroupDone.class, (state, cmd) -> Effect().noReply())
        .onCommand(ConfirmAllocation.class, (state, cmd) -> {
          if (state.ledger().confirm(cmd.orderId())) {
            unwritten.add(cmd.orderId());
          }
          handOuts.forget(cmd.orderId());
          return Effect().noReply();
        })
        .onCommand(WriteConfirmations.class, this::writeConfirmations)
        .onCommand(ReconcileTick.class, this::reconcile);
    return builder.build();
  }

  /**
   * Asks the orders of holds unconfirmed for {@code reconcile-after} about them: those given to no
   * placement for as long (see {@link HandOuts}), naming the last hand-out.
   */
  private ReplyEffect<Event, InventoryState> reconcile(InventoryState state, ReconcileTick tick) {
    Instant now = clock.instant();
    Instant cutoff = now.minus(settings.reconcileAfter());
    StockLedger ledger = state.ledger();
    handOuts.keepOnly(orderId -> ledger.heldBy(orderId).isPresent() && !ledger.isConfirmed(orderId));
    List<String> unconfirmed = ledger.unconfirmedSince(cutoff, RECONCILE_PER_TICK);
    for (String orderId : unconfirmed) {
      HandOuts.HandOut last = handOuts.last(orderId, now);
      if (last.at().isBefore(cutoff)) {
        orders.apply(orderId).tell(new Reconcile(skuId, last.number()));
      }
    }
    if (unconfirmed.size() == RECONCILE_PER_TICK) {
      timers.startSingleTimer(MORE_TO_RECONCILE, new ReconcileTick(), Duration.ofSeconds(1));
    }
    List<Event> expired = expiredBy(state, now);
    if (expired.isEmpty() || !WriteGuard.get(system).mayWrite()) {
      return Effect().noReply();
    }
    // Without orders too: stock and reports show what expired, not what would if someone ordered.
    return Effect().persist(expired).thenNoReply();
  }

  /** The runs whose codes expire within the margin, as the events that take them out of stock. */
  private List<Event> expiredBy(InventoryState state, Instant now) {
    return state.ledger().expiringBy(now.plus(settings.expiryMargin())).stream()
        .<Event>map(e -> new CodesExpired(e.batchId(), e.run(), e.unsold(), now)).toList();
  }

  /**
   * Decides a whole group at once: repeats get their earlier allocation, refusals are answered
   * at once from memory, and everything allocated goes into one event, written once.
   */
  private ReplyEffect<Event, InventoryState> allocate(InventoryState state, List<Allocate> requests) {
    Optional<List<BundlePart>> bundle = state.bundleParts();
    if (bundle.isPresent()) {
      requests.forEach(r -> r.replyTo().tell(new BundleOf(bundle.get())));
      front.tell(new GroupDone(0));
      return Effect().noReply();
    }
    if (!WriteGuard.get(system).mayWrite()) {
      // Maybe downed while standing still, this SKU live on another node: allocate nothing here.
      requests.forEach(r -> r.replyTo().tell(new AllocationOverloaded()));
      front.tell(new GroupDone(state.ledger().available()));
      return Effect().noReply();
    }
    Optional<String> unavailable = state.unavailableReason();
    if (unavailable.isPresent()) {
      requests.forEach(r -> r.replyTo().tell(new SkuUnavailable(unavailable.get())));
      front.tell(new GroupDone(0));
      return Effect().noReply();
    }
    List<Event> expired = expiredBy(state, clock.instant());
    if (!expired.isEmpty()) {
      // Expiry first, so the group is planned on what may still be sold; the front waits meanwhile.
      return Effect().persist(expired).thenRun(s -> self.tell(new AllocateGroup(requests))).thenNoReply();
    }
    StockLedger.Planner planner = state.ledger().planner();
    Map<String, List<SlotRange>> decided = new HashMap<>();
    Map<String, Integer> plannedForBuyer = new HashMap<>();
    int maxPerBuyer = state.definition().maxPerBuyer();
    List<OrderSlots> allocations = new ArrayList<>();
    List<Allocate> toConfirm = new ArrayList<>();
    Set<Allocate> allocating = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Allocate request : requests) {
      Optional<List<SlotRange>> earlier = state.ledger().heldBy(request.orderId())
          .or(() -> Optional.ofNullable(decided.get(request.orderId())));
      if (earlier.isPresent()) {
        if (units(earlier.get()) != request.units()) {
          request.replyTo().tell(new HeldOtherwise(request.orderId()));
        } else {
          toConfirm.add(request);
        }
        continue;
      }
      if (request.units() < 1 || request.units() > SkuInventoryProtocol.MAX_UNITS_PER_ALLOCATION) {
        request.replyTo().tell(new SkuUnavailable("an allocation is 1 to "
            + SkuInventoryProtocol.MAX_UNITS_PER_ALLOCATION + " units"));
        continue;
      }
      if (state.definition().limitsBuyers() && request.buyer() != null) {
        int held = state.ledger().heldByBuyer(request.buyer()) + plannedForBuyer.getOrDefault(request.buyer(), 0);
        if (held + request.units() > maxPerBuyer) {
          request.replyTo().tell(new BuyerLimitReached(held, maxPerBuyer));
          continue;
        }
      }
      Optional<List<SlotRange>> slots = planner.plan(request.units());
      if (slots.isEmpty()) {
        request.replyTo().tell(new OutOfStock(planner.availableAfter()));
        continue;
      }
      decided.put(request.orderId(), slots.get());
      allocating.add(request);
      if (request.buyer() != null) {
        plannedForBuyer.merge(request.buyer(), request.units(), Integer::sum);
      }
      allocations.add(new OrderSlots(request.orderId(), slots.get(), request.buyer()));
      toConfirm.add(request);
    }
    Instant now = clock.instant();
    if (allocations.isEmpty()) {
      toConfirm.forEach(r -> {
        handOuts.handedOut(r.orderId(), now);
        r.replyTo().tell(allocated(state, r.orderId(), state.ledger().heldBy(r.orderId()).get(), true));
      });
      front.tell(new GroupDone(planner.availableAfter()));
      return Effect().noReply();
    }
    List<Event> events = new ArrayList<>();
    events.add(new UnitsAllocated(allocations, now));
    long threshold = state.definition().lowStockThreshold();
    long before = state.ledger().available();
    if (threshold > 0 && before >= threshold && planner.availableAfter() < threshold) {
      events.add(new LowStockReached(planner.availableAfter(), threshold, now));
    }
    return Effect().persist(events)
        .thenRun(s -> {
          toConfirm.forEach(r -> {
            handOuts.handedOut(r.orderId(), now);
            r.replyTo().tell(allocated(s, r.orderId(), s.ledger().heldBy(r.orderId())
                .orElseGet(() -> decided.get(r.orderId())), !allocating.contains(r)));
          });
          front.tell(new GroupDone(s.ledger().available()));
        })
        .thenNoReply();
  }

  /**
   * One write for the confirmations of the last second. Lost (the node dies first), they are asked
   * for again by reconciliation, and the orders confirm again.
   */
  private ReplyEffect<Event, InventoryState> writeConfirmations(InventoryState state, WriteConfirmations cmd) {
    if (unwritten.isEmpty() || !WriteGuard.get(system).mayWrite()) {
      return Effect().noReply();
    }
    List<String> orderIds = List.copyOf(unwritten);
    unwritten.clear();
    return Effect().persist(new AllocationsConfirmed(orderIds, clock.instant())).thenNoReply();
  }

  /** What {@link #allocate} would answer this one request now, deciding nothing. */
  private static SkuInventoryProtocol.Allocation peek(InventoryState state, Peek cmd) {
    Optional<String> unavailable = state.unavailableReason();
    if (unavailable.isPresent()) {
      return new SkuUnavailable(unavailable.get());
    }
    Optional<List<BundlePart>> bundle = state.bundleParts();
    if (bundle.isPresent()) {
      return new BundleOf(bundle.get());
    }
    Optional<List<SlotRange>> held = state.ledger().heldBy(cmd.orderId());
    if (held.isPresent()) {
      return units(held.get()) == cmd.units() ? new Available() : new HeldOtherwise(cmd.orderId());
    }
    if (state.ledger().numberUsed(cmd.orderId())) {
      // Held units within the last day, the hold forgotten: maybe a repeat of a delivered order,
      // which the account and the order answer; never "sold out" from here.
      return new Available();
    }
    int maxPerBuyer = state.definition().maxPerBuyer();
    if (state.definition().limitsBuyers() && cmd.buyer() != null
        && state.ledger().heldByBuyer(cmd.buyer()) + cmd.units() > maxPerBuyer) {
      return new BuyerLimitReached(state.ledger().heldByBuyer(cmd.buyer()), maxPerBuyer);
    }
    long available = state.ledger().available();
    return available < cmd.units() ? new OutOfStock(available) : new Available();
  }

  private static int units(List<SlotRange> slots) {
    return slots.stream().mapToInt(SlotRange::count).sum();
  }

  private static Allocated allocated(InventoryState state, String orderId, List<SlotRange> slots, boolean repeat) {
    return new Allocated(orderId, slots, state.ledger().costOf(slots), repeat);
  }

  private ReplyEffect<Event, InventoryState> release(InventoryState state, Release cmd) {
    Optional<List<SlotRange>> held = state.ledger().heldBy(cmd.orderId());
    if (held.isEmpty()) {
      return Effect().reply(cmd.replyTo(), new NothingToRelease(cmd.orderId()));
    }
    if (cmd.handOut() != null && !handOuts.isLast(cmd.orderId(), cmd.handOut())) {
      return Effect().reply(cmd.replyTo(), new HandedOutAgain(cmd.orderId()));
    }
    if (!WriteGuard.get(system).mayWrite()) {
      // Unanswered: the caller asks again, here or where the SKU lives now (see WriteGuard).
      return Effect().noReply();
    }
    int units = held.get().stream().mapToInt(SlotRange::count).sum();
    return Effect().persist(new UnitsReleased(cmd.orderId(), held.get(), clock.instant(),
            state.ledger().expiredAmong(held.get())))
        .thenRun(s -> handOuts.forget(cmd.orderId()))
        .thenReply(cmd.replyTo(), s -> new Released(cmd.orderId(), units));
  }

  private ReplyEffect<Event, InventoryState> update(InventoryState state, UpdateSku cmd) {
    SkuDefinition updated;
    try {
      updated = state.definition().patched(cmd.patch());
    } catch (IllegalArgumentException e) {
      return Effect().reply(cmd.replyTo(), new Invalid(e.getMessage()));
    }
    if (updated.equals(state.definition())) {
      return Effect().reply(cmd.replyTo(), new Found(state.view()));
    }
    return Effect().persist(new SkuUpdated(updated, cmd.actor(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> new Found(s.view()));
  }

  private ReplyEffect<Event, InventoryState> addBatch(InventoryState state, AddBatch cmd) {
    Optional<StockLedger.Batch> existing = state.ledger().batch(cmd.batchId());
    if (existing.isPresent()) {
      if (existing.get().size != cmd.units()) {
        return Effect().reply(cmd.replyTo(), new Invalid("batch " + cmd.batchId() + " exists with another size"));
      }
      return Effect().reply(cmd.replyTo(), batchLookup(state, cmd.batchId()));
    }
    if (state.definition().kind() != SkuKind.CARD_CODE) {
      return Effect().reply(cmd.replyTo(), new Invalid("code batches belong to CARD_CODE SKUs only"));
    }
    if (cmd.units() < 1) {
      return Effect().reply(cmd.replyTo(), new Invalid("a batch holds at least one code"));
    }
    Optional<String> badRuns = ExpiryRuns.refusal(cmd.expiries(), cmd.units());
    if (badRuns.isPresent()) {
      return Effect().reply(cmd.replyTo(), new Invalid(badRuns.get()));
    }
    return Effect().persist(new BatchAdded(cmd.batchId(), cmd.units(), cmd.supplierId(), cmd.unitCost(),
            cmd.actor(), clock.instant(), cmd.expiries() == null || cmd.expiries().isEmpty() ? null
                : List.copyOf(cmd.expiries())))
        .thenReply(cmd.replyTo(), s -> batchLookup(s, cmd.batchId()));
  }

  private ReplyEffect<Event, InventoryState> freeze(InventoryState state, String batchId, boolean freeze,
      String actor, ActorRef<BatchLookup> replyTo) {
    Optional<StockLedger.Batch> batch = state.ledger().batch(batchId);
    if (batch.isEmpty()) {
      return Effect().reply(replyTo, new NotFound());
    }
    if (batch.get().frozen == freeze) {
      return Effect().reply(replyTo, batchLookup(state, batchId));
    }
    Event event = freeze ? new BatchFrozen(batchId, actor, clock.instant()) : new BatchUnfrozen(batchId, actor, clock.instant());
    return Effect().persist(event)
        .thenReply(replyTo, s -> batchLookup(s, batchId));
  }

  private static BatchLookup batchLookup(InventoryState state, String batchId) {
    return state.ledger().batch(batchId)
        .<BatchLookup>map(b -> new BatchFound(b.view(), state.ledger().view()))
        .orElseGet(NotFound::new);
  }

  @Override
  public EventHandler<InventoryState, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState()
        .onEvent(SkuRegistered.class, (state, e) -> {
          state.register(e.definition(), e.at());
          return state;
        })
        .onEvent(SkuUpdated.class, (state, e) -> {
          state.update(e.definition());
          return state;
        })
        .onEvent(BatchAdded.class, (state, e) -> {
          state.ledger().addBatch(e.batchId(), e.units(), e.supplierId(), e.unitCost(), e.at(), e.expiries());
          return state;
        })
        .onEvent(CodesExpired.class, (state, e) -> {
          state.ledger().expire(e.batchId(), e.run());
          return state;
        })
        .onEvent(BatchFrozen.class, (state, e) -> {
          state.ledger().setFrozen(e.batchId(), true);
          return state;
        })
        .onEvent(BatchUnfrozen.class, (state, e) -> {
          state.ledger().setFrozen(e.batchId(), false);
          return state;
        })
        .onEvent(UnitsAllocated.class, (state, e) -> {
          e.allocations().forEach(a -> state.ledger().allocate(a.orderId(), a.slots(), a.buyer(), e.at()));
          return state;
        })
        .onEvent(UnitsReleased.class, (state, e) -> {
          state.ledger().release(e.orderId());
          return state;
        })
        .onEvent(AllocationsConfirmed.class, (state, e) -> {
          e.orderIds().forEach(state.ledger()::confirm);
          return state;
        })
        .onEvent(LowStockReached.class, (state, e) -> state);
    return builder.build();
  }
}
