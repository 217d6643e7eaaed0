/*
 * The OLD core-banking write protocol (npm run model -- --protocol old), before the marker held the
 * call deadline and was written and removed conditionally; kept to show its two gaps. One business
 * key (one account -> DCMS /registerCard), as
 * implemented by functions/core-banking-events/app.ts (Powertools idempotency record around the
 * call) and shared/resilience/at-most-once.ts (write-ahead marker, read first, settle window).
 * Checked property: DCMS applies at most one /registerCard effect (cards <= 1).
 *
 * The idempotency record is modelled, not assumed away: without it two first deliveries both find
 * no marker and both send (the marker is read, then written unconditionally), so the protocol's
 * safety rests on it, and on its in-progress expiry, which is judged by another worker's clock.
 *
 * Time is discrete (one tick = the unit the constants are given in). Nothing stores absolute
 * time: every timestamp is kept as its age in ticks plus the skew of the clock that wrote it,
 * and ages stop growing once every comparison that uses them is decided. The state space is
 * then finite without a horizon, so deliveries may come at any time, however late.
 *
 * All constants can be overridden with spin -D, e.g. spin -a -DSETTLE_WINDOW=20 core-banking-write.pml
 */

#ifndef SETTLE_WINDOW
#define SETTLE_WINDOW 60    /* SETTLE_WINDOW_SECONDS: no re-send until this long after the last send, by the reader's clock */
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
#ifndef READ_TIME
#define READ_TIME 3         /* a DCMS read's answer arrives at most this long after DCMS looked (the read timeout) */
#endif
#define DELIVERIES 3        /* deliveries of the one event (SQS at-least-once, redeliveries, a redrive) */
#define WORKERS 2

/* Ages saturate here: one past the largest threshold they are compared with. */
#define MARKER_CAP (SETTLE_WINDOW + 2 * MAX_SKEW + 1)
#define LOCK_CAP (LIFE + 2 * MAX_SKEW + 1)
#define grow(a, cap) if :: a < cap -> a++ :: else -> skip fi

/* A worker's step in one delivery; IDLE = no invocation. */
mtype = { IDLE, LOCK, GET_MARKER, READ, ANSWER, PUT_MARKER, SEND, RECONCILE, CLEAR_THEN_DONE, CLEAR_THEN_FAIL, DONE, FAIL };
mtype st[WORKERS] = IDLE;

/* Idempotency record (Powertools): FREE (absent or expired TTL), INPROGRESS, COMPLETED. */
mtype = { FREE, INPROGRESS, COMPLETED };
mtype lock = FREE;
byte lockAge;   /* ticks since the holder's invocation started: its in-progress expiry is start + LIFE by its clock */
short lockSkew;

/* The write-ahead marker SEND#<key>/PENDING: the sender's clock when it took sentAt. */
bool marker;
byte markerAge;
short markerSkew;

/* Sends DCMS received whose effect is still pending: ticks left before it must have committed (255 = none). */
#define NONE 255
byte pending[DELIVERIES] = NONE;
byte cards;

short skew[WORKERS];
byte age[WORKERS];        /* ticks since the invocation started */
byte answerDue[WORKERS];  /* ANSWER: ticks left before the read's answer arrives */
bool seen[WORKERS];       /* lastSentAt as read by the worker: present, its age and the writer's skew */
byte seenAge[WORKERS];
short seenSkew[WORKERS];
bool found[WORKERS];      /* what the last DCMS read showed */
byte sentAge[WORKERS];    /* ticks since the worker took sentAt (its own clock) */
byte deliveries = DELIVERIES;
/* Real time, for the counterexample's printout only: hidden variables are not part of the checked state. */
hidden int realTime;
hidden int markerAt;  /* the real time the marker's sentAt was taken, printout only */
hidden int sentAt[WORKERS];

/* Reader w's clock is before lastSentAt + SETTLE_WINDOW: real realTime + skew[w] < written + writerSkew + window. */
#define settling(w) (seenAge[w] < SETTLE_WINDOW + seenSkew[w] - skew[w])
/* Powertools takes an in-progress record over once its expiry is before the taker's clock. */
#define lockExpiredFor(w) (lockAge > LIFE + lockSkew - skew[w])
#define callAllowed(w) (age[w] + MARGIN <= LIFE)

inline commit() {
  cards++;
  printf("t=%d DCMS applies /registerCard: card %d\n", realTime, cards);
  assert(cards <= 1)
}

/* The invocation is over; what it held in memory is gone (zeroed so that equal states are one). */
inline over(w) {
  st[w] = IDLE; age[w] = 0; answerDue[w] = 0; seen[w] = false; seenAge[w] = 0; seenSkew[w] = 0; found[w] = false; sentAge[w] = 0
}

/* An invocation that throws: Powertools deletes the record (unconditionally, by key), or that delete fails. */
inline release() {
  if
  :: lock = FREE; lockAge = 0; lockSkew = 0
  :: skip
  fi
}

proctype Worker(byte w) {
  byte i;
  do
  :: atomic { st[w] == IDLE && deliveries > 0 -> deliveries--; age[w] = 0; st[w] = LOCK;
              printf("t=%d w%d: delivery %d received (clock skew %d)\n", realTime, w, DELIVERIES - deliveries, skew[w]) }
  :: atomic {
       st[w] == LOCK ->
       if
       :: lock == COMPLETED -> printf("t=%d w%d: duplicate (idempotency record COMPLETED)\n", realTime, w); over(w)  /* a duplicate: the stored result, no DCMS call */
       :: lock == INPROGRESS && !lockExpiredFor(w) -> printf("t=%d w%d: idempotency record in progress, back to SQS\n", realTime, w); over(w)  /* already in progress: back to SQS */
       :: lock == FREE || (lock == INPROGRESS && lockExpiredFor(w)) ->
            printf("t=%d w%d: takes the idempotency record (%e)\n", realTime, w, lock);
            lock = INPROGRESS; lockAge = age[w]; lockSkew = skew[w];
            if
            :: st[w] = GET_MARKER
            :: over(w)  /* the conditional put applied, its answer lost: our own record realTime blocks us */
            fi
       fi
     }
  :: atomic {
       st[w] == GET_MARKER ->
       seen[w] = marker; seenAge[w] = markerAge; seenSkew[w] = markerSkew;
       if
       :: marker -> printf("t=%d w%d: marker found: sentAt = %d (taken at t=%d by a clock skewed %d)\n", realTime, w, markerAt + markerSkew, markerAt, markerSkew)
       :: else -> printf("t=%d w%d: no marker\n", realTime, w)
       fi;
       if
       :: st[w] = READ
       :: st[w] = FAIL  /* DynamoDB error */
       fi
     }
  :: atomic {
       /* checkFirst: /registerCard always reads the customer's kits first. */
       st[w] == READ ->
       if
       :: callAllowed(w) -> found[w] = (cards > 0); answerDue[w] = READ_TIME; st[w] = ANSWER;
          printf("t=%d w%d: reads DCMS: %d card(s)\n", realTime, w, cards)
       :: st[w] = FAIL  /* the read failed, or DEADLINE: too little of the invocation left */
       fi
     }
  :: atomic {
       /* The read's answer; the window is judged by the clock read realTime, after the answer. */
       st[w] == ANSWER ->
       if
       :: found[w] && seen[w] -> st[w] = CLEAR_THEN_DONE
       :: found[w] && !seen[w] -> st[w] = DONE
       :: !found[w] && seen[w] && settling(w) -> st[w] = FAIL;  /* SETTLING */
          printf("t=%d w%d: read answered, clock %d < sentAt + window: SETTLING\n", realTime, w, realTime + skew[w])
       :: else -> sentAge[w] = 0; st[w] = PUT_MARKER; sentAt[w] = realTime;
          printf("t=%d w%d: read answered, nothing found, clock %d: will send\n", realTime, w, realTime + skew[w])
       fi
     }
  :: atomic {
       st[w] == PUT_MARKER ->
       if
       :: marker = true; markerAge = sentAge[w]; markerSkew = skew[w]; markerAt = sentAt[w]; st[w] = SEND;
          printf("t=%d w%d: marker written\n", realTime, w)
       :: marker = true; markerAge = sentAge[w]; markerSkew = skew[w]; markerAt = sentAt[w]; st[w] = FAIL;  /* applied, answer lost */
          printf("t=%d w%d: marker written, answer lost\n", realTime, w)
       :: st[w] = FAIL  /* not applied */
       fi
     }
  :: atomic {
       /* Time may pass between the marker and the request leaving: rate-limit waits, in-call retries of 429. */
       st[w] == SEND ->
       if
       :: callAllowed(w) ->
            if
            :: printf("t=%d w%d: /registerCard applied and answered\n", realTime, w); commit(); st[w] = CLEAR_THEN_DONE  /* applied and answered */
            :: printf("t=%d w%d: /registerCard refused\n", realTime, w); st[w] = CLEAR_THEN_FAIL  /* refused (4xx, 429 to the end): nothing can commit later */
            :: i = 0;  /* no answer, or a 5xx: DCMS may apply it realTime, later, or never */
               do
               :: pending[i] == NONE -> pending[i] = MAX_COMMIT_DELAY; break
               :: else -> i++
               od;
               i = 0;
               st[w] = RECONCILE;
               printf("t=%d w%d: /registerCard sent, no answer: DCMS may apply it until t=%d\n", realTime, w, realTime + MAX_COMMIT_DELAY)
            fi
       :: else -> st[w] = CLEAR_THEN_FAIL  /* DEADLINE: not started */
       fi
     }
  :: atomic {
       st[w] == RECONCILE ->
       if
       :: callAllowed(w) && cards > 0 -> st[w] = CLEAR_THEN_DONE
       :: callAllowed(w) && cards == 0 -> st[w] = FAIL;  /* UNKNOWN_OUTCOME: the marker stays */
          printf("t=%d w%d: read back: nothing yet, UNKNOWN_OUTCOME\n", realTime, w)
       :: st[w] = FAIL  /* the read failed or was not started */
       fi
     }
  :: atomic {
       /* Best-effort DeleteItem by key. */
       st[w] == CLEAR_THEN_DONE || st[w] == CLEAR_THEN_FAIL ->
       if
       :: marker = false; markerAge = 0; markerSkew = 0; printf("t=%d w%d: marker cleared\n", realTime, w)
       :: skip
       fi;
       if
       :: st[w] == CLEAR_THEN_DONE -> st[w] = DONE
       :: else -> st[w] = FAIL
       fi
     }
  :: atomic {
       /* Powertools stores the result (unconditional update by key), or that write fails. */
       st[w] == DONE ->
       if
       :: lock = COMPLETED; lockAge = 0; lockSkew = 0
       :: skip
       fi;
       over(w)
     }
  :: atomic { st[w] == FAIL -> release(); over(w) }
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
 * One tick of real time. It cannot pass a write's latest commit, nor a read's answer; an
 * invocation that reaches its timeout is killed (its in-flight request stays in flight).
 * A COMPLETED record may expire (TTL) at any tick.
 */
proctype Clock() {
  byte w;
  do
  :: d_step {
       (pending[0] != 0 && pending[1] != 0 && pending[2] != 0) &&
       !(st[0] == ANSWER && answerDue[0] == 0) && !(st[1] == ANSWER && answerDue[1] == 0) ->
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
                 if :: answerDue[w] > 0 -> answerDue[w]-- :: else -> skip fi;
                 if :: seen[w] -> grow(seenAge[w], MARKER_CAP) :: else -> skip fi;
                 if :: st[w] == PUT_MARKER -> grow(sentAge[w], MARKER_CAP) :: else -> skip fi;
                 if :: age[w] >= LIFE -> printf("t=%d w%d: killed by the function timeout\n", realTime + 1, w); over(w) :: else -> skip fi
            :: else -> skip
            fi;
            w++
       :: else -> break
       od;
       w = 0;
       realTime++;
       if :: marker -> grow(markerAge, MARKER_CAP) :: else -> skip fi;
       if :: lock == INPROGRESS -> grow(lockAge, LOCK_CAP) :: else -> skip fi
     }
  :: atomic { lock == COMPLETED -> lock = FREE; lockAge = 0; lockSkew = 0; printf("t=%d the COMPLETED idempotency record expires\n", realTime) }
  od
}

init {
  byte w;
  atomic {
    w = 0;
    do
    :: w < WORKERS ->
         skew[w] = -MAX_SKEW;
         do
         :: skew[w] < MAX_SKEW -> skew[w]++
         :: break
         od;
         w++
    :: else -> break
    od;
    w = 0;
    run Worker(0);
    run Worker(1);
    run Dcms();
    run Clock()
  }
}
