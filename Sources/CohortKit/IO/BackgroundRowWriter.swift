import Dispatch
import Foundation

/// Formats rows as JSON lines and writes them on a second thread, in order.
///
/// Ingest's main thread parses and validates, normalize's works out customers' timelines; turning
/// each row into JSON and writing it costs about as much again. The caller hands over row values
/// (or whole batches of rows, with `batchSize` 1), which it must not touch once appended; batches
/// go to one serial worker, at most two batches in flight, so memory stays bounded and the output
/// is the same bytes in the same order as writing inline (which is what happens under
/// `--threads 1`).
///
/// A write error on the worker (a full disk, a file-size limit) is thrown from the next `append`
/// that hands over a batch, so the caller stops within two batches of it instead of running on to
/// the end of its input; `finish()` throws it too. Either way no output is put in place.
final class BackgroundRowWriter<Row> {
    private let writer: JSONLWriter
    private let format: (Row, JSONLWriter) throws -> Void
    private let background: Bool
    private let queue = DispatchQueue(label: "cohort.row-writer")
    private let inFlight = DispatchSemaphore(value: 2)
    private var batch: [Row] = []
    private let batchSize: Int
    /// Set by the worker, read by the caller when it hands over a batch and after the queue has
    /// drained.
    private var failure: Error?
    private let failureLock = NSLock()

    /// `batchSize`: rows handed to the worker at a time (1 when a row is itself a batch).
    init(
        writer: JSONLWriter, background: Bool, batchSize: Int = 8192,
        format: @escaping (Row, JSONLWriter) throws -> Void
    ) {
        self.batchSize = batchSize
        self.writer = writer
        self.background = background
        self.format = format
        batch.reserveCapacity(batchSize)
    }

    func append(_ row: Row) throws {
        guard background else {
            try format(row, writer)
            return
        }
        batch.append(row)
        if batch.count == batchSize { try send() }
    }

    /// The worker's write error, if it has met one.
    private var workerFailure: Error? { failureLock.withLock { failure } }

    private func send() throws {
        let rows = batch
        batch = []
        batch.reserveCapacity(batchSize)
        inFlight.wait()
        if let failure = workerFailure {
            inFlight.signal()
            throw failure
        }
        queue.async { [self] in
            defer { inFlight.signal() }
            guard workerFailure == nil else { return }
            do {
                for r in rows { try format(r, writer) }
            } catch {
                failureLock.withLock { failure = error }
            }
        }
    }

    /// Writes what is left and waits for the worker; rethrows a write error it met.
    func finish() throws {
        if !batch.isEmpty { try send() }
        drain()
        if let failure = workerFailure { throw failure }
    }

    /// Waits for the worker without writing the pending batch (on the error path).
    func drain() { queue.sync {} }
}
