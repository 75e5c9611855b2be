package org.redisson.misc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * GenPipe's replacement for Redisson 4.7.0's class of this name (same package, same public methods; the worker's own
 * classes come first on its class path, so this one is loaded). Redisson's version keeps an index map and a linked
 * list that are updated in two steps, the index outside the list's lock; under many concurrent callers (hundreds of
 * virtual threads acquiring Redis connections through {@code AsyncSemaphore}) the two disagree, the list's links break,
 * and {@code poll()} spins forever inside the lock: one carrier thread at 100 % CPU and every Redis call of the
 * process waiting behind it (seen in {@code PriorityLanesTest}: a worker whose jobs and Redis I/O all hung;
 * redisson/redisson#7285 describes the same race). This one keeps one structure under one lock: an insertion-ordered
 * set, so add, remove, move-to-tail and poll are O(1) and can never disagree. Remove it once a Redisson release ships
 * a fixed queue ({@code RedissonQueuePatchTest} says which class is loaded).
 *
 * <p>Null elements are not permitted; an element already queued is not added twice (as in Redisson's).
 */
public final class FastRemovalQueue<E> implements Iterable<E> {

    /** Lets a test see which implementation the class path gave it. */
    public static final String GENPIPE_REPLACEMENT = "one insertion-ordered set under one lock";

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashSet<E> elements = new LinkedHashSet<>();

    public void add(E element) {
        if (element == null) {
            throw new NullPointerException("element");
        }
        lock.lock();
        try {
            elements.add(element);
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the element was queued (it is now last) */
    public boolean moveToTail(E element) {
        lock.lock();
        try {
            if (!elements.remove(element)) {
                return false;
            }
            elements.add(element);
            return true;
        } finally {
            lock.unlock();
        }
    }

    public boolean remove(E element) {
        lock.lock();
        try {
            return elements.remove(element);
        } finally {
            lock.unlock();
        }
    }

    public boolean isEmpty() {
        lock.lock();
        try {
            return elements.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return elements.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return the first element, removed; null when empty */
    public E poll() {
        lock.lock();
        try {
            Iterator<E> first = elements.iterator();
            if (!first.hasNext()) {
                return null;
            }
            E element = first.next();
            first.remove();
            return element;
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            elements.clear();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot, in order; its {@code remove()} removes the element from the queue. */
    @Override
    public Iterator<E> iterator() {
        List<E> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(elements);
        } finally {
            lock.unlock();
        }
        Iterator<E> it = snapshot.iterator();
        return new Iterator<>() {
            private E last;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                last = it.next();
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException();
                }
                FastRemovalQueue.this.remove(last);
                last = null;
            }
        };
    }
}
