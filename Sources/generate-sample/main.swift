import CohortKit
print(CohortKit.version)
