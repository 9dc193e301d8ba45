import CohortKit

StageCommand.main(.ingest) { try IngestStage.run($0) }
