import CohortKit

StageCommand.main(.report) { try ReportStage.run($0) }
