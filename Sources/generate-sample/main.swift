import CohortKit
import Foundation

let usage = """
    usage: generate-sample --out DIR [--customers N] [--seed S] [--months M] [--dirty-ratio R] [--shape saas|retail]

    Writes a deterministic, realistic SaaS (or retail) sample into DIR: customers.csv, subscriptions.csv,
    cancellations.csv, events.jsonl and a pipeline.json pointing at them. The same flags always give
    byte-identical files. See docs/generator.md for what is generated and the planted effects.

      --out DIR          output folder (created if missing; required)
      --customers N      number of customers (default 3000)
      --seed S           random seed, an unsigned integer (default 42)
      --months M         months of history ending 2024-12, as_of 2024-12-31 (default 30)
      --dirty-ratio R    share of subscription rows with a deliberate mistake (default 0.002; 0 for clean data)
      --shape SHAPE      saas (default): five channels, four plans, monthly to annual terms;
                         retail: one monthly box, two channels, 35 stores, about 3 terms per customer
      --help             show this help

    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate-sample: \(message)\n\(usage)".utf8))
    exit(2)
}

var out: String?
var customers = 3000
var seed: UInt64 = 42
var months = 30
var dirtyRatio = 0.002
var shape = SampleGenerator.Shape.saas
var args = CommandLine.arguments.dropFirst()
while let flag = args.popFirst() {
    if flag == "--help" || flag == "-h" {
        print(usage, terminator: "")
        exit(0)
    }
    guard ["--out", "--customers", "--seed", "--months", "--dirty-ratio", "--shape"].contains(flag) else {
        fail("unknown argument '\(flag)'")
    }
    guard let value = args.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--out": out = value
    case "--customers":
        guard let n = Int(value), n >= 1 else {
            fail("--customers expects a whole number of at least 1, got '\(value)'")
        }
        customers = n
    case "--seed":
        guard let s = UInt64(value) else { fail("--seed expects an unsigned integer, got '\(value)'") }
        seed = s
    case "--months":
        guard let m = Int(value), m >= 1, m <= 600 else {
            fail("--months expects a whole number from 1 to 600, got '\(value)'")
        }
        months = m
    case "--shape":
        guard let s = SampleGenerator.Shape(rawValue: value) else {
            fail("--shape expects saas or retail, got '\(value)'")
        }
        shape = s
    default:
        guard let r = Double(value), r >= 0, r <= 0.5 else {
            fail("--dirty-ratio expects a number from 0 to 0.5, got '\(value)'")
        }
        dirtyRatio = r
    }
}
guard let out else { fail("--out DIR is required") }

do {
    let generator = try SampleGenerator(
        customers: customers, seed: seed, months: months, dirtyRatio: dirtyRatio, shape: shape)
    let started = Date()
    let summary = try generator.write(to: out)
    let seconds = Date().timeIntervalSince(started)
    FileHandle.standardError.write(
        Data(
            ("generate-sample: \(summary.customers) customers, "
                + "\(summary.subscriptions) subscription rows (\(summary.dirtySubscriptions) with planted mistakes), "
                + "\(summary.cancellations) cancellations, \(summary.events) events, "
                + "\(generator.startDate) to \(generator.asOfDate), in \(String(format: "%.1f", seconds)) s -> \(out)\n")
                .utf8))
} catch let error as SampleGenerator.ConfigurationError {
    fail(error.description)
} catch {
    FileHandle.standardError.write(Data("generate-sample: \(error)\n".utf8))
    exit(1)
}
