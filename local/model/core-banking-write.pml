/*
 * The core-banking write protocol for one business key (one account -> DCMS /registerCard), as
 * implemented by shared/protocol/write-once/machine.ts (decide) and run.ts (its driver), with the
 * marker port of shared/persistence/pending-sends.ts, for functions/core-banking-events/register-card.ts
 * (no "already exists" answer is trusted). A delivery that finds no marker may send without reading
 * the customer's kits (UNREAD_FIRST): first-issue.ts lets only a first delivery, for a covered
 * customer of a tenant that issues nowhere else, do so; the model lets any delivery, so the
 * safety shown here does not rest on telling a first delivery from a later one.
 * Checked property: DCMS applies at most one /registerCard effect (cards <= 1).
 *
 * The Powertools idempotency record around the call is left out: every delivery may run at any
 * time, also while another delivery of the same event is still running. That is what its loss
 * allows (an in-progress record taken over under clock skew, then deleted by key by its first
 * holder), so the safety shown here does not rest on it.
 *
 * Time is discrete (one tick = the unit the constants are given in). Nothing stores absolute
 * time: every timestamp is kept as its age in ticks plus the skew of the clock that wrote it,
 * and ages stop growing once every comparison that uses them is decided. The state space is
 * then finite without a horizon, so deliveries may come at any time, however late.
 *
 * All constants can be overridden with spin -D, e.g. spin -a -DSETTLE_WINDOW=20 core-banking-write.pml
 */

#ifndef SETTLE_WINDOW
#define SETTLE_WINDOW 60    /* SETTLE_WINDOW_SECONDS: no send until a read started this long after the marker, by the reader's clock */
#endif
#ifndef MAX_COMMIT_DELAY
#define MAX_COMMIT_DELAY 30 /* DCMS applies a received write at most this long after it left our client */
#endif
#ifndef MAX_SKEW
#define MAX_SKEW 1          /* each worker's clock = real time + skew, |skew| <= MAX_SKEW */
#endif
#ifndef LIFE
#define LIFE 30             /* an invocation is killed this long after it starts (function timeout) */
#endif
#ifndef MARGIN
#define MARGIN 2            /* no DCMS request starts in the last MARGIN of an invocation (DEADLINE_MARGIN_MS + minAttemptMs) */
#endif
#ifndef CLEAR_AFTER_EFFECT
#define CLEAR_AFTER_EFFECT 1 /* 1: the marker is removed after a send that succeeded or a read that found the card (machine.ts); 0: only after a refusal */
#endif
#ifndef UNREAD_FIRST
#define UNREAD_FIRST 1       /* 1: a delivery that finds no marker may send without reading first (first-issue.ts) */
#endif
#define DELIVERIES 3        /* deliveries of the one event (SQS at-least-once, redeliveries, a redrive) */
#define WORKERS 2

/* leaveBy, the run's call deadline: no request of the run leaves after it (real time, from the invocation's start). */
#define LEAVE (LIFE - MARGIN)
/* Marker ages saturate here: the largest threshold a read compares them with. */
#define MARKER_CAP (SETTLE_WINDOW + 2 * MAX_SKEW)
#define grow(a, cap) if :: a < cap -> a++ :: else -> skip fi

/* A worker's step in one delivery; IDLE = no invocation. */
mtype = { IDLE, GET_MARKER, READ, READING, PUT_MARKER, SEND, READ_AFTER, CLEAR };
mtype st[WORKERS] = IDLE;

/*
 * The marker SEND#<key>/PENDING. Its value is the writer's leaveBy; values of distinct runs differ
 * (deadlines in ms of distinct invocations), so a value is named here by the delivery that wrote
 * it (0 = absent). markerAge: real time now - leaveBy as real time (negative while the request
 * may still leave); markerSkew: the writer's skew. leaveBy on the writer's clock = that instant + markerSkew.
 */
byte marker;
short markerAge;
short markerSkew;

/* Sends DCMS received whose effect is still pending: ticks left before it must have committed (255 = none). */
#define NONE 255
byte pending[DELIVERIES] = NONE;
byte cards;

short skew[WORKERS];
byte mine[WORKERS];       /* the delivery the worker is running (1..DELIVERIES), its marker value */
byte toClear[WORKERS];    /* CLEAR: the marker value to remove */
byte age[WORKERS];        /* ticks since the invocation started */
byte seen[WORKERS];       /* the marker as read by the worker (its value, 0 = absent), its age and writer's skew */
short seenAge[WORKERS];
short seenSkew[WORKERS];
bool settled[WORKERS];    /* READING: the read started at or after seen + SETTLE_WINDOW by the worker's clock */
byte deliveries = DELIVERIES;
/* Real time, for the counterexample's printout only: hidden variables are not part of the checked state. */
hidden int realTime;

/* A read started now, by w's clock, is at or after the marker w read + SETTLE_WINDOW:
 * realTime + skew[w] >= leaveBy + seenSkew + SETTLE_WINDOW, leaveBy = realTime - seenAge. */
#define settledFor(w) (seen[w] == 0 || seenAge[w] >= SETTLE_WINDOW + seenSkew[w] - skew[w])
/* The DCMS client starts no request after the call's deadline (less minAttemptMs). */
#define callAllowed(w) (age[w] <= LEAVE)

inline commit() {
  cards++;
  printf("t=%d DCMS applies /registerCard: card %d\n", realTime, cards);
  assert(cards <= 1)
}

/* The invocation is over; what it held in memory is gone (zeroed so that equal states are one). */
inline over(w) {
  st[w] = IDLE; mine[w] = 0; age[w] = 0; seen[w] = 0; seenAge[w] = 0; seenSkew[w] = 0; settled[w] = false; toClear[w] = 0
}

/* Conditional DeleteItem (sentAt = value), best effort. */
inline clear(w, value) {
  if
  :: marker == value -> marker = 0; markerAge = 0; markerSkew = 0; printf("t=%d w%d: marker %d removed\n", realTime, w, value)
  :: marker != value -> printf("t=%d w%d: marker %d not removed: it holds %d\n", realTime, w, value, marker)
  :: skip  /* the delete failed */
  fi
}

proctype Worker(byte w) {
  byte i;
  do
  :: atomic { st[w] == IDLE && deliveries > 0 -> deliveries--; mine[w] = DELIVERIES - deliveries; age[w] = 0; st[w] = GET_MARKER;
              printf("t=%d w%d: delivery %d received (clock skew %d tick), leaveBy = t=%d by its clock\n", realTime, w, mine[w], skew[w], realTime + LEAVE + skew[w]) }
  :: atomic {
       /* Any step may throw (DynamoDB or DCMS error, DEADLINE): the run ends there, nothing is cleaned up. */
       st[w] != IDLE -> printf("t=%d w%d: the run throws\n", realTime, w); over(w)
     }
  :: atomic {
       st[w] == GET_MARKER ->
       seen[w] = marker; seenAge[w] = markerAge; seenSkew[w] = markerSkew; st[w] = READ;
       if
       :: marker != 0 -> printf("t=%d w%d: marker %d found: leaveBy = t=%d\n", realTime, w, marker, realTime - markerAge + markerSkew)
       :: marker == 0 -> printf("t=%d w%d: no marker\n", realTime, w)
       :: marker == 0 && UNREAD_FIRST -> printf("t=%d w%d: no marker: sends without reading first\n", realTime, w); st[w] = PUT_MARKER
       fi
     }
  :: atomic {
       /* The clock is read before the read starts; DCMS looks at any moment after. */
       st[w] == READ && callAllowed(w) -> settled[w] = settledFor(w); st[w] = READING;
       printf("t=%d w%d: reads DCMS: t=%d by its clock\n", realTime, w, realTime + skew[w])
     }
  :: atomic {
       /* DCMS looks and answers. */
       st[w] == READING ->
       if
       :: cards > 0 && seen[w] != 0 -> printf("t=%d w%d: DCMS shows the card\n", realTime, w);
          if
          :: CLEAR_AFTER_EFFECT -> toClear[w] = seen[w]; st[w] = CLEAR
          :: else -> over(w)
          fi
       :: cards > 0 && seen[w] == 0 -> printf("t=%d w%d: DCMS shows the card\n", realTime, w); over(w)
       :: cards == 0 && !settled[w] -> printf("t=%d w%d: no card, but the read started before leaveBy + window: SETTLING\n", realTime, w); over(w)
       :: cards == 0 && settled[w] -> printf("t=%d w%d: no card: will send\n", realTime, w); st[w] = PUT_MARKER
       fi
     }
  :: atomic {
       /* PutItem conditional on the value read (attribute_not_exists when none). */
       st[w] == PUT_MARKER ->
       if
       :: marker == seen[w] -> marker = mine[w]; markerAge = age[w] - LEAVE; markerSkew = skew[w];
          printf("t=%d w%d: marker %d written over %d\n", realTime, w, mine[w], seen[w]);
          if
          :: st[w] = SEND
          :: printf("t=%d w%d: its answer lost\n", realTime, w); over(w)
          fi
       :: marker != seen[w] -> printf("t=%d w%d: marker is %d, not %d: SEND_IN_PROGRESS\n", realTime, w, marker, seen[w]); over(w)
       fi
     }
  :: atomic {
       /* Time may pass between the marker and the request leaving: rate-limit waits, in-call retries of 429, up to leaveBy. */
       st[w] == SEND ->
       if
       :: callAllowed(w) ->
            if
            :: printf("t=%d w%d: /registerCard applied and answered\n", realTime, w); commit();
               if
               :: CLEAR_AFTER_EFFECT -> toClear[w] = mine[w]; st[w] = CLEAR
               :: else -> over(w)
               fi
            :: printf("t=%d w%d: /registerCard refused\n", realTime, w); toClear[w] = mine[w]; st[w] = CLEAR  /* 4xx, 429 to the end: nothing can commit later */
            :: i = 0;  /* no answer, or a 5xx: DCMS may apply it now, later, or never */
               do
               :: pending[i] == NONE -> pending[i] = MAX_COMMIT_DELAY; break
               :: else -> i++
               od;
               i = 0;
               st[w] = READ_AFTER;
               printf("t=%d w%d: /registerCard sent, no answer: DCMS may apply it until t=%d\n", realTime, w, realTime + MAX_COMMIT_DELAY)
            fi
       :: else -> printf("t=%d w%d: DEADLINE, not sent\n", realTime, w); toClear[w] = mine[w]; st[w] = CLEAR
       fi
     }
  :: atomic {
       st[w] == READ_AFTER ->
       if
       :: cards > 0 -> printf("t=%d w%d: read back: the card\n", realTime, w);
          if
          :: CLEAR_AFTER_EFFECT -> toClear[w] = mine[w]; st[w] = CLEAR
          :: else -> over(w)
          fi
       :: cards == 0 -> printf("t=%d w%d: read back: nothing yet, UNKNOWN_OUTCOME (the marker stays)\n", realTime, w); over(w)
       fi
     }
  :: atomic {
       /* A run that found the card removes the marker it read; a run that sent, its own. */
       st[w] == CLEAR -> clear(w, toClear[w]); over(w)
     }
  od
}

/* DCMS applies, or drops, each write it received, at any moment before its latest commit. */
proctype Dcms() {
  do
  :: atomic { pending[0] != NONE -> commit(); pending[0] = NONE }
  :: atomic { pending[1] != NONE -> commit(); pending[1] = NONE }
  :: atomic { pending[2] != NONE -> commit(); pending[2] = NONE }
  :: atomic { pending[0] != NONE -> pending[0] = NONE; printf("t=%d DCMS drops a write\n", realTime) }
  :: atomic { pending[1] != NONE -> pending[1] = NONE; printf("t=%d DCMS drops a write\n", realTime) }
  :: atomic { pending[2] != NONE -> pending[2] = NONE; printf("t=%d DCMS drops a write\n", realTime) }
  od
}

/*
 * One tick of real time. It cannot pass a write's latest commit; an invocation that reaches its
 * timeout is killed (its in-flight request stays in flight).
 */
proctype Clock() {
  byte w;
  do
  :: d_step {
       pending[0] != 0 && pending[1] != 0 && pending[2] != 0 ->
       w = 0;
       do
       :: w < DELIVERIES -> if :: pending[w] != NONE -> pending[w]-- :: else -> skip fi; w++
       :: else -> break
       od;
       w = 0;
       do
       :: w < WORKERS ->
            if
            :: st[w] != IDLE ->
                 age[w]++;
                 if :: seen[w] != 0 -> grow(seenAge[w], MARKER_CAP) :: else -> skip fi;
                 if :: age[w] >= LIFE -> printf("t=%d w%d: killed by the function timeout\n", realTime + 1, w); over(w) :: else -> skip fi
            :: else -> skip
            fi;
            w++
       :: else -> break
       od;
       w = 0;
       realTime++;
       if :: marker != 0 -> grow(markerAge, MARKER_CAP) :: else -> skip fi
     }
  od
}

init {
  atomic {
    /* Any skews; the search meets clocks far apart first (worker 0 ahead, worker 1 behind). */
    skew[0] = MAX_SKEW;
    do
    :: break
    :: skew[0] > -MAX_SKEW -> skew[0]--
    od;
    skew[1] = -MAX_SKEW;
    do
    :: break
    :: skew[1] < MAX_SKEW -> skew[1]++
    od;
    run Worker(0);
    run Worker(1);
    run Dcms();
    run Clock()
  }
}
