package dev.thinkdiff.nn;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/** Test support: a full collection whose cleaners (those of direct buffers among them) have all run on return. */
public final class GarbageCollection {

    private GarbageCollection() {
    }

    /**
     * Collects until a fresh sentinel's weak reference is enqueued, twice: the JDK's reference handler runs the
     * cleaners and enqueues the references of one collection in one pass, so the second sentinel arrives only once
     * everything the first collection found (a direct buffer's free among it) is done. No timing involved.
     */
    public static void collect() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        for (int round = 0; round < 2; round++) {
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            do {
                System.gc();
            } while (queue.remove(1000) != sentinel);
        }
    }
}
