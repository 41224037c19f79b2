// Package settings is the window's settings screen: the language, the VMS
// sources, the data folder, the face detection model, the witness folder of
// the register (R-REG-2 rev.), and, by role, the accounts with their
// one-time passwords and resets (administrator, R-KEY-1), the site settings
// recorded in the register (administrator, R-REG-1), the security manager's
// delegates (R-AUTH-1) and the removable media inventory. Each form says
// what became of it right under its button: green when done, red with what
// to do.
//
// # Window
//
// [Show] shows the settings; what they need of the window (the session,
// the procedure, the preferences, the VMS sources, jobs, texts) is its
// [Window]. [CheckWitnessDir] is the rule for a witness folder, shared
// with the first run.
//
// # Tests
//
// The exported fields of the screen are its widgets and what it holds
// (the account rows, the designated delegates), for the tests of package
// ui that drive the whole window.
package settings
