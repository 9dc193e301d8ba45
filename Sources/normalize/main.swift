import CohortKit

StageCommand.main(.normalize) { try NormalizeStage.run($0) }
