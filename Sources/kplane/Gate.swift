import Foundation
import Synchronization

/// Opens once; waiters before and after pass when it is open.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let open = state.withLock { s -> Bool in
                if !s.open { s.waiters.append(c) }
                return s.open
            }
            if open { c.resume() }
        }
    }
}

/// Calls `done` after `target` ticks.
final class Counter: Sendable {
    private let count = Mutex(0)
    let target: Int
    let done: @Sendable () -> Void

    init(target: Int, done: @escaping @Sendable () -> Void) {
        self.target = target
        self.done = done
    }

    func tick() {
        if count.withLock({ $0 += 1; return $0 }) == target { done() }
    }
}
