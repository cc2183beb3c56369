//! The message catalog: every text a widget shows, in English and Polish.
//!
//! Each message is one line of the [`catalog!`] table with both languages, so a missing translation is a
//! compile error, not a blank label. Placeholders are `{name}`, filled by [`fill_placeholders`]
//! (`Msg::fill`).
//!
//! ```
//! use vmbackup_ui::i18n::{Lang, Msg};
//! assert_eq!(Msg::TasksCreated.fill(Lang::En, &[("count", "2")]), "Backup tasks created: 2");
//! assert_eq!(Lang::parse("pl-PL"), Lang::Pl);
//! ```

use serde::{Deserialize, Serialize};

/// A language the widgets speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Pl,
}

impl Lang {
    /// Every language with a complete catalog.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Pl];

    /// Reads a BCP 47 tag (`pl`, `pl-PL`, `en-GB`); anything unknown is English.
    pub fn parse(tag: &str) -> Lang {
        match tag.split(['-', '_']).next().map(str::to_ascii_lowercase).as_deref() {
            Some("pl") => Lang::Pl,
            _ => Lang::En,
        }
    }

    /// The BCP 47 tag used for `lang` attributes and `Intl` formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
        }
    }

    /// The direction the language is written in, as a `dir` attribute value. Texts the widgets make (dates,
    /// sizes, counts) are laid out in it even on a right-to-left host page, isolated from the page's direction.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En | Lang::Pl => "ltr",
        }
    }
}

/// Declares a message catalog: an enum with one variant per line, each with its English and Polish text, so a
/// missing translation is a compile error. The widgets' catalog is [`Msg`]; the standalone app declares its own
/// texts with this macro, so that a page of widgets does not download the app's.
///
/// ```
/// vmbackup_ui::catalog! {
///     /// Texts of a portal's own page.
///     pub enum PortalMsg {
///         Welcome => "Welcome, {name}", "Witaj, {name}";
///     }
/// }
/// use vmbackup_ui::i18n::Lang;
/// assert_eq!(PortalMsg::Welcome.fill(Lang::Pl, &[("name", "Ala")]), "Witaj, Ala");
/// ```
#[macro_export]
macro_rules! catalog {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($key:ident => $en:literal, $pl:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($key,)+ }

        // A catalog need not use every one of these (a test catalog, an app that never fills a text).
        #[allow(dead_code)]
        impl $name {
            /// Every message (for completeness checks).
            pub const ALL: &'static [$name] = &[$($name::$key,)+];

            /// The text in `lang`.
            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                // Every text in one string, first all English then all Polish ones (a language's texts compress
                // better beside each other), and where each starts: a `match` over every pair compiled to ~9 KB
                // of wasm code, and a table of `&str`s to 16 bytes of pointers and lengths a message, which
                // compress worse than the rising 16-bit offsets.
                const TEXTS: &str = concat!($($en,)+ $($pl,)+);
                const STARTS: [u16; 2 * $name::ALL.len() + 1] = $crate::i18n::text_starts(&[$([$en, $pl],)+]);
                let at = lang as usize * $name::ALL.len() + self as usize;
                TEXTS.get(usize::from(STARTS[at])..usize::from(STARTS[at + 1])).unwrap_or_default()
            }

            /// The text in `lang` with each `{name}` replaced by its value (see [`fill_placeholders`]).
            ///
            /// [`fill_placeholders`]: $crate::i18n::fill_placeholders
            pub fn fill(self, lang: $crate::i18n::Lang, values: &[(&str, &str)]) -> String {
                $crate::i18n::fill_placeholders(self.text(lang), values)
            }
        }

        impl $crate::i18n::Message for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}

/// A message of a catalog declared with [`catalog!`].
pub trait Message: Copy + 'static {
    /// The text in `lang`.
    fn text(self, lang: Lang) -> &'static str;
}

/// Where each text of `texts` (English and Polish for each message) starts in their concatenation, all English
/// texts first, and where the last one ends.
#[doc(hidden)]
pub const fn text_starts<const N: usize>(texts: &[[&str; 2]]) -> [u16; N] {
    let mut starts = [0; N];
    let mut at = 0;
    let mut lang = 0;
    while lang < 2 {
        let mut message = 0;
        while message < texts.len() {
            starts[lang * texts.len() + message] = at as u16;
            at += texts[message][lang].len();
            message += 1;
        }
        lang += 1;
    }
    assert!(at <= u16::MAX as usize, "the catalog outgrew 16-bit offsets");
    starts[N - 1] = at as u16;
    starts
}

/// `template` with each `{name}` replaced by its value, in one pass: a value is never searched for placeholders
/// itself, so a VM named `{count}` stays `{count}`. A placeholder without a value stays as it is.
pub fn fill_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(known, _)| *known == name).map(|(_, value)| (close, *value))
        });
        match value {
            Some((close, value)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

/// What is wrong with a catalog, for its tests: a text that is empty, Polish that is the English text unchanged,
/// or placeholders that differ between the languages.
#[doc(hidden)]
pub fn catalog_problems<M: Message + std::fmt::Debug>(all: &[M]) -> Vec<String> {
    let placeholders = |text: &str| {
        let mut names: Vec<String> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_string())).collect();
        names.sort();
        names
    };
    let mut problems = Vec::new();
    for &msg in all {
        for lang in Lang::ALL {
            if msg.text(lang).trim().is_empty() {
                problems.push(format!("{msg:?} is empty in {lang:?}"));
            }
        }
        let (en, pl) = (msg.text(Lang::En), msg.text(Lang::Pl));
        if en == pl && en.chars().any(char::is_alphabetic) {
            problems.push(format!("{msg:?} is the same in English and Polish"));
        }
        if placeholders(en) != placeholders(pl) {
            problems.push(format!("{msg:?} has other placeholders in Polish"));
        }
    }
    problems
}

catalog! {
    /// A message of the widgets' catalog.
    pub enum Msg {
    // Shared
    Loading => "Loading…", "Wczytywanie…";
    Retry => "Try again", "Spróbuj ponownie";
    Cancel => "Cancel", "Anuluj";
    Close => "Close", "Zamknij";
    Save => "Save", "Zapisz";
    Delete => "Delete", "Usuń";
    Yes => "Yes", "Tak";
    No => "No", "Nie";
    Unknown => "Unknown", "Nieznane";
    None => "None", "Brak";
    SessionExpired => "Your session has expired. Log in again to continue.", "Sesja wygasła. Zaloguj się ponownie, aby kontynuować.";
    ResumeSession => "I have logged in again", "Zalogowałem się ponownie";
    ErrorUnauthorized => "Your session has expired or you are not logged in.", "Sesja wygasła lub nie jesteś zalogowany.";
    ErrorForbidden => "You do not have permission to do this.", "Nie masz uprawnień do tej operacji.";
    ErrorNotFound => "It was not found. It may have been deleted.", "Nie znaleziono. Mogło zostać usunięte.";
    ErrorValidation => "Some values are not valid.", "Niektóre wartości są nieprawidłowe.";
    ErrorConflict => "This conflicts with the current state. Refresh and try again.", "Konflikt z bieżącym stanem. Odśwież i spróbuj ponownie.";
    ErrorServer => "The backup server reported an error.", "Serwer kopii zapasowych zgłosił błąd.";
    ErrorNetwork => "The backup server could not be reached.", "Nie można połączyć się z serwerem kopii zapasowych.";
    ErrorTimeout => "The backup server did not answer in time.", "Serwer kopii zapasowych nie odpowiedział na czas.";
    ErrorDecode => "The server's answer could not be read.", "Nie można odczytać odpowiedzi serwera.";
    ErrorUnconfirmed => "The server did not confirm the request. It may have been carried out: check before trying again.", "Serwer nie potwierdził żądania. Mogło zostać wykonane: sprawdź, zanim spróbujesz ponownie.";
    // VM table
    VmTableLabel => "Virtual machines", "Maszyny wirtualne";
    ColName => "Name", "Nazwa";
    ColProject => "Project", "Projekt";
    ColPlatform => "Hypervisor / cluster", "Hiperwizor / klaster";
    ColPolicy => "Policy", "Polityka";
    ColLastBackup => "Last backup", "Ostatnia kopia";
    ColUpToDate => "Up to date", "Aktualna";
    ColPresent => "Present", "Obecna";
    SearchByName => "Search by name", "Szukaj po nazwie";
    AllProjects => "All projects", "Wszystkie projekty";
    NoVms => "No virtual machines match.", "Brak pasujących maszyn wirtualnych.";
    NoPolicy => "No policy", "Brak polityki";
    Never => "Never", "Nigdy";
    RowsInfo => "{from}–{to} of {total}", "{from}–{to} z {total}";
    SelectRow => "Select {name}", "Zaznacz {name}";
    SelectAll => "Select all on this page", "Zaznacz wszystkie na tej stronie";
    Selected => "{count} selected", "Zaznaczono: {count}";
    // Backup button
    BackUpNow => "Back up now", "Utwórz kopię teraz";
    BackUpSelected => "Back up {count} VMs", "Utwórz kopię {count} maszyn";
    BackupDialogTitle => "Back up now", "Utwórz kopię zapasową";
    BackupType => "Backup type", "Typ kopii";
    BackupFull => "Full", "Pełna";
    BackupIncremental => "Incremental", "Przyrostowa";
    Rule => "Policy rule (where the backup goes)", "Reguła polityki (miejsce kopii)";
    NoRuleExplanation => "This VM has no backup policy, so there is no rule saying where its backup would be stored. Ask your backup administrator to assign it to a policy.", "Ta maszyna nie ma polityki kopii zapasowych, więc żadna reguła nie wskazuje, gdzie zapisać kopię. Poproś administratora kopii o przypisanie jej do polityki.";
    Priority => "Priority (0–100)", "Priorytet (0–100)";
    WindowEnd => "Must start by (optional)", "Musi rozpocząć się do (opcjonalnie)";
    StartBackup => "Start backup", "Rozpocznij kopię";
    Submitting => "Starting…", "Uruchamianie…";
    TasksCreated => "Backup tasks created: {count}", "Utworzono zadania kopii: {count}";
    TasksRecovered => "The server's answer was lost, but these tasks were found: the backup was not started twice.", "Odpowiedź serwera zaginęła, ale znaleziono te zadania: kopia nie została uruchomiona dwukrotnie.";
    CopiesCancelled => "Copies of the request reached the server more than once; the extra backups were cancelled: {count}.", "Żądanie dotarło do serwera więcej niż raz; anulowano dodatkowe kopie zapasowe: {count}.";
    CheckingSubmission => "Checking with the server whether the backup started…", "Sprawdzanie na serwerze, czy kopia zapasowa się rozpoczęła…";
    BackupVmsHeading => "Virtual machines ({count})", "Maszyny wirtualne ({count})";
    BackupMixedPolicies => "The selected VMs follow {count} different policies. Each group is backed up with the rule chosen for it below.", "Zaznaczone maszyny należą do różnych polityk ({count}). Kopia każdej grupy zostanie wykonana według reguły wybranej dla niej poniżej.";
    RuleOfPolicy => "Rule of policy {policy}", "Reguła polityki {policy}";
    SomeWithoutPolicy => "Left out because they have no backup policy: {names}. Ask your backup administrator to assign them to a policy.", "Pominięte, bo nie mają polityki kopii zapasowych: {names}. Poproś administratora kopii o przypisanie ich do polityki.";
    NoActiveRule => "The policy {policy} has no active rule, so there is nowhere to store a backup. Ask your backup administrator to activate one of its rules.", "Polityka {policy} nie ma aktywnej reguły, więc nie ma gdzie zapisać kopii. Poproś administratora kopii o aktywowanie jednej z jej reguł.";
    WindowNoLimit => "No deadline (the server's default window)", "Bez terminu (domyślne okno serwera)";
    WindowWithinMinutes => "Within {minutes} min", "W ciągu {minutes} min";
    WindowWithinHours => "Within {hours} h", "W ciągu {hours} godz.";
    WindowDeadline => "Fails if not started by {time}", "Nie powiedzie się, jeśli nie rozpocznie się do {time}";
    FieldPriorityRange => "Enter a whole number from 0 to 100.", "Wpisz liczbę całkowitą od 0 do 100.";
    FieldWindowEnd => "The deadline must be later than the start.", "Termin musi być późniejszy niż początek.";
    FieldRuleRequired => "Choose a policy rule.", "Wybierz regułę polityki.";
    FieldVmsRequired => "Choose at least one VM.", "Wybierz co najmniej jedną maszynę.";
    FieldInvalid => "This value is not valid.", "Ta wartość jest nieprawidłowa.";
    BackupGroupStarted => "Started", "Uruchomiono";
    NoVmSelected => "Select the VMs to back up first.", "Najpierw zaznacz maszyny do skopiowania.";
    // Task progress
    TaskProgressLabel => "Task progress", "Postęp zadań";
    StateQueued => "Queued", "W kolejce";
    StateRunning => "Running", "W toku";
    StateFinished => "Finished", "Zakończone";
    StateFailed => "Failed", "Nieudane";
    StateCancelled => "Cancelled", "Anulowane";
    Started => "Started {time}", "Rozpoczęto {time}";
    Eta => "About {minutes} min left", "Pozostało ok. {minutes} min";
    EtaUnderMinute => "Less than a minute left", "Pozostało mniej niż minuta";
    CancelTask => "Cancel task", "Anuluj zadanie";
    CancelTaskConfirm => "Cancel this task? A backup in progress is discarded.", "Anulować to zadanie? Kopia w toku zostanie odrzucona.";
    TaskEnded => "{task} {state}", "{task}: {state}";
    NoTasks => "No tasks are being tracked.", "Żadne zadania nie są śledzone.";
    TaskGone => "The task no longer exists on the server.", "Zadanie nie istnieje już na serwerze.";
    NotifyMe => "Notify me when it ends", "Powiadom mnie po zakończeniu";
    TaskBackupOf => "Backup of {vm}", "Kopia zapasowa: {vm}";
    TaskRestoreOf => "Restore of {vm}", "Przywracanie: {vm}";
    TaskOtherOf => "{kind} of {vm}", "{kind}: {vm}";
    TaskNumbered => "Task {id}", "Zadanie {id}";
    TaskStateNow => "{task} is now {state}", "{task} — stan: {state}";
    ProgressOf => "Progress of {task}", "Postęp: {task}";
    TaskStep => "Step {step} of {steps}", "Etap {step} z {steps}";
    Cancelling => "Cancelling…", "Anulowanie…";
    KeepTask => "Keep it running", "Nie anuluj";
    NotificationsOn => "Notifications on (click to turn off)", "Powiadomienia włączone (kliknij, aby wyłączyć)";
    NotificationsBlocked => "Notifications are blocked for this site in the browser's settings.", "Powiadomienia dla tej witryny są zablokowane w ustawieniach przeglądarki.";
    // Schedule form (ScheduleForm helper adds below this line)
    ScheduleFormLabel => "Backup schedule", "Harmonogram kopii";
    ScheduleNew => "New schedule", "Nowy harmonogram";
    ScheduleEditing => "Edit schedule “{name}”", "Edycja harmonogramu „{name}”";
    ScheduleViewing => "Schedule “{name}”", "Harmonogram „{name}”";
    ScheduleTrying => "Try a schedule", "Wypróbuj harmonogram";
    ScheduleUsedBy => "Used by the rules: {rules}", "Używany przez reguły: {rules}";
    ScheduleName => "Schedule name", "Nazwa harmonogramu";
    ScheduleActive => "Active (the schedule starts backups)", "Aktywny (harmonogram uruchamia kopie)";
    ScheduleKind => "Runs", "Uruchamianie";
    ScheduleKindTime => "Once a day at a set time", "Raz dziennie o ustalonej godzinie";
    ScheduleKindInterval => "Repeatedly within a time window", "Wielokrotnie w przedziale czasu";
    ScheduleTime => "Start time", "Godzina rozpoczęcia";
    ScheduleTryOnly => "You can try out times and see the next runs, but not create schedules: ask your backup administrator.", "Możesz wypróbować godziny i zobaczyć kolejne uruchomienia, ale nie tworzyć harmonogramów: poproś o to administratora kopii zapasowych.";
    ScheduleReadOnly => "You can see the schedule but not save changes: ask your backup administrator.", "Możesz przeglądać harmonogram, ale nie zapisywać zmian: poproś o to administratora kopii zapasowych.";
    ScheduleTimeFormatHint => "24-hour clock, HH:MM (or 1:30 PM)", "Zegar 24-godzinny, GG:MM";
    ScheduleStartWindow => "Must start within (hours)", "Musi rozpocząć się w ciągu (godzin)";
    ScheduleStartWindowHint => "A backup that cannot start within this time after the start time is skipped.", "Kopia, której nie da się rozpocząć w tym czasie od godziny rozpoczęcia, zostanie pominięta.";
    ScheduleIntervalStart => "From", "Od";
    ScheduleIntervalEnd => "Until", "Do";
    ScheduleFrequency => "Every (minutes)", "Co (minut)";
    ScheduleTimeZone => "Time zone", "Strefa czasowa";
    ScheduleTimeZoneHint => "Times are entered in this time zone; the server stores them in UTC.", "Godziny podaje się w tej strefie czasowej; serwer zapisuje je w UTC.";
    ScheduleDays => "Days of the week", "Dni tygodnia";
    ScheduleMonthsAndOccurrences => "Only in some months or weeks", "Tylko w wybranych miesiącach lub tygodniach";
    ScheduleMonths => "Months (none chosen: every month)", "Miesiące (brak wyboru: każdy miesiąc)";
    ScheduleOccurrences => "Which of the chosen days in a month (none chosen: every one)", "Który z wybranych dni w miesiącu (brak wyboru: każdy)";
    ScheduleMonday => "Monday", "Poniedziałek";
    ScheduleTuesday => "Tuesday", "Wtorek";
    ScheduleWednesday => "Wednesday", "Środa";
    ScheduleThursday => "Thursday", "Czwartek";
    ScheduleFriday => "Friday", "Piątek";
    ScheduleSaturday => "Saturday", "Sobota";
    ScheduleSunday => "Sunday", "Niedziela";
    ScheduleJanuary => "January", "Styczeń";
    ScheduleFebruary => "February", "Luty";
    ScheduleMarch => "March", "Marzec";
    ScheduleApril => "April", "Kwiecień";
    ScheduleMay => "May", "Maj";
    ScheduleJune => "June", "Czerwiec";
    ScheduleJuly => "July", "Lipiec";
    ScheduleAugust => "August", "Sierpień";
    ScheduleSeptember => "September", "Wrzesień";
    ScheduleOctober => "October", "Październik";
    ScheduleNovember => "November", "Listopad";
    ScheduleDecember => "December", "Grudzień";
    ScheduleOccurrenceFirst => "First", "Pierwszy";
    ScheduleOccurrenceSecond => "Second", "Drugi";
    ScheduleOccurrenceThird => "Third", "Trzeci";
    ScheduleOccurrenceFourth => "Fourth", "Czwarty";
    ScheduleOccurrenceLast => "Last", "Ostatni";
    ScheduleInUtc => "Stored in UTC: {time} on {days}", "Zapisane w UTC: {time}, dni: {days}";
    ScheduleIntervalInUtc => "Stored in UTC: {start}–{end} on {days}", "Zapisane w UTC: {start}–{end}, dni: {days}";
    ScheduleOffsetUsed => "Converted with the offset {offset} in force at the next run ({date}).", "Przeliczono z przesunięciem {offset} obowiązującym przy najbliższym uruchomieniu ({date}).";
    ScheduleNextRuns => "Next runs", "Najbliższe uruchomienia";
    SchedulePreviewNeedsValues => "The next runs appear once the values above are complete and valid.", "Najbliższe uruchomienia pojawią się, gdy powyższe wartości będą kompletne i poprawne.";
    ScheduleInactiveNoRuns => "The schedule is inactive, so it does not run.", "Harmonogram jest nieaktywny, więc się nie uruchamia.";
    ScheduleNoRuns => "This schedule does not run within the next five years.", "Ten harmonogram nie uruchomi się w ciągu najbliższych pięciu lat.";
    ScheduleRunUtc => "{time} UTC", "{time} czasu UTC";
    ScheduleDrift => "From {date} this schedule runs at {after} instead of {before}, because the clocks change and the server keeps the time in UTC. Save the schedule again after that date to keep {before}.", "Od {date} ten harmonogram będzie uruchamiany o {after} zamiast o {before}, ponieważ zmienia się czas, a serwer przechowuje godzinę w UTC. Zapisz harmonogram ponownie po tej dacie, aby zachować {before}.";
    ScheduleCrossesUtcMidnight => "In UTC this window crosses midnight ({start}–{end} UTC), which the server cannot store as one schedule. Choose a window within one UTC day, or create two schedules.", "W UTC ten przedział przechodzi przez północ ({start}–{end} UTC), czego serwer nie zapisze jako jednego harmonogramu. Wybierz przedział w obrębie jednej doby UTC albo utwórz dwa harmonogramy.";
    ScheduleShownInUtc => "This schedule's window crosses midnight in your time zone, so it is shown in UTC.", "Przedział tego harmonogramu przechodzi przez północ w Twojej strefie czasowej, więc jest pokazany w UTC.";
    ScheduleFieldNameRequired => "Enter a name.", "Podaj nazwę.";
    ScheduleFieldNameTooLong => "The name is too long: at most {max} characters.", "Nazwa jest za długa: najwyżej {max} znaków.";
    ScheduleFieldTimeRequired => "Enter a time.", "Podaj godzinę.";
    ScheduleFieldNotTimeOfDay => "Enter a time between 00:00 and 23:59.", "Podaj godzinę od 00:00 do 23:59.";
    ScheduleFieldNumberRequired => "Enter a number.", "Podaj liczbę.";
    ScheduleFieldOutOfRange => "This value is out of range.", "Ta wartość jest poza dozwolonym zakresem.";
    ScheduleFieldEndNotAfterStart => "The window must end after it starts.", "Przedział musi kończyć się po swoim początku.";
    ScheduleFieldDaysEmpty => "Choose at least one day of the week.", "Wybierz co najmniej jeden dzień tygodnia.";
    ScheduleFieldEmpty => "Choose at least one.", "Wybierz co najmniej jedną pozycję.";
    ScheduleFieldStartWindowNotPositive => "The start window must be longer than zero.", "Czas na rozpoczęcie musi być dłuższy niż zero.";
    ScheduleFieldFrequencyNotPositive => "The time between runs must be longer than zero.", "Odstęp między uruchomieniami musi być dłuższy niż zero.";
    ScheduleFieldZoneRequired => "Choose a time zone.", "Wybierz strefę czasową.";
    ScheduleFieldUnknownZone => "Unknown time zone: {zone}.", "Nieznana strefa czasowa: {zone}.";
    ScheduleFieldServerRejected => "The server rejected this value: {message}", "Serwer odrzucił tę wartość: {message}";
    ScheduleFixErrors => "The schedule was not saved. Correct the marked fields.", "Harmonogramu nie zapisano. Popraw zaznaczone pola.";
    ScheduleSaving => "Saving…", "Zapisywanie…";
    ScheduleSaved => "Schedule saved.", "Harmonogram zapisany.";
    ScheduleSavedRecovered => "Schedule saved. The server's answer was lost, but the schedule was found on the server, so it was not created twice.", "Harmonogram zapisany. Odpowiedź serwera zaginęła, ale harmonogram odnaleziono na serwerze, więc nie utworzono go dwukrotnie.";
    ScheduleDeleted => "Schedule deleted.", "Harmonogram usunięty.";
    ScheduleDeleteTitle => "Delete schedule", "Usuwanie harmonogramu";
    ScheduleDeleteConfirm => "Delete the schedule “{name}”? Policy rules that use it will no longer start backups by it. This cannot be undone.", "Usunąć harmonogram „{name}”? Reguły polityk, które go używają, przestaną według niego uruchamiać kopie. Tej operacji nie można cofnąć.";
    // Backup history (BackupHistory helper adds below this line)
    BackupHistoryLabel => "Backup history", "Historia kopii";
    HistoryOf => "Backups of {name}", "Kopie zapasowe maszyny {name}";
    HistoryNoVm => "Choose a virtual machine to see its backups.", "Wybierz maszynę wirtualną, aby zobaczyć jej kopie zapasowe.";
    HistoryEmpty => "This virtual machine has no backups yet.", "Ta maszyna wirtualna nie ma jeszcze kopii zapasowych.";
    HistoryColTime => "Time", "Czas";
    HistoryColType => "Type", "Typ";
    HistoryColStatus => "Status", "Stan";
    HistoryColSize => "Size", "Rozmiar";
    HistoryColCopies => "Copies kept at", "Lokalizacje kopii";
    HistoryColActions => "Actions", "Akcje";
    HistoryTypeSynthetic => "Synthetic", "Syntetyczna";
    HistoryTypeSynchronization => "Synchronization", "Synchronizacja";
    HistoryStatusQueued => "Queued", "W kolejce";
    HistoryStatusInProgress => "In progress", "W toku";
    HistoryStatusSuccess => "Successful", "Udana";
    HistoryStatusPartial => "Partially successful", "Częściowo udana";
    HistoryStatusFailed => "Failed", "Nieudana";
    HistoryStatusRemoved => "Removed", "Usunięta";
    HistoryRolePrimary => "primary", "podstawowa";
    HistoryRoleSecondary => "secondary", "dodatkowa";
    HistoryRoleArchive => "archive", "archiwum";
    HistoryCopyStoring => "being stored", "w trakcie zapisu";
    HistoryCopyFailed => "copy failed", "kopia nieudana";
    HistoryCopyRemoved => "removed", "usunięta";
    HistoryNoCopies => "No copies", "Brak kopii";
    HistorySizeNotYet => "Size not known yet", "Rozmiar jeszcze nieznany";
    HistoryRestore => "Restore…", "Przywróć…";
    HistoryRestoreBackupOf => "Restore the backup of {time}", "Przywróć kopię z {time}";
    HistoryPreviousPage => "Previous page", "Poprzednia strona";
    HistoryNextPage => "Next page", "Następna strona";
    // Restore dialog (RestoreDialog helper adds below this line)
    RestoreDialogLabel => "Restore", "Przywracanie";
    RestoreTitle => "Restore {name}", "Przywracanie maszyny {name}";
    RestoreChooseBackup => "Backup to restore", "Kopia do przywrócenia";
    RestoreChooseCopy => "Copy to restore from", "Miejsce, z którego przywrócić";
    RestoreTargetKind => "Restore to", "Przywróć do";
    RestoreToManager => "Hypervisor manager", "Menedżer hiperwizorów";
    RestoreToHypervisor => "Stand-alone hypervisor", "Samodzielny hiperwizor";
    RestoreCluster => "Cluster", "Klaster";
    RestoreStorage => "Storage", "Magazyn danych";
    RestoreProject => "Project", "Projekt";
    RestoreServerDefault => "Chosen by the server", "Wybór serwera";
    RestoreBackupsProject => "The backup's project", "Projekt kopii zapasowej";
    RestoreStorageFree => "{free} free", "wolne: {free}";
    RestoreNewName => "Name of the restored VM", "Nazwa przywróconej maszyny";
    RestoreNewNameHint => "Leave empty to keep the original name.", "Pozostaw puste, aby zachować oryginalną nazwę.";
    RestoreNoBackups => "This virtual machine has no successful backup to restore from.", "Ta maszyna wirtualna nie ma udanej kopii zapasowej, z której można ją przywrócić.";
    RestoreNoCopies => "No copy of this backup is available.", "Ta kopia zapasowa nie jest dostępna w żadnym miejscu.";
    RestoreNoTargets => "Nothing can receive a restore of this backup.", "Nie ma miejsca, do którego można przywrócić tę kopię.";
    RestoreSummary => "Summary", "Podsumowanie";
    RestoreSummaryCreates => "A new virtual machine named {name} will be created. The original is not changed.", "Zostanie utworzona nowa maszyna wirtualna o nazwie {name}. Oryginał nie zostanie zmieniony.";
    RestoreConfirmByName => "To confirm, type the name of the virtual machine: {name}", "Aby potwierdzić, wpisz nazwę maszyny wirtualnej: {name}";
    RestoreConfirmMismatch => "The name does not match.", "Nazwa nie jest zgodna.";
    RestoreSubmit => "Restore", "Przywróć";
    RestoreSubmitting => "Starting the restore…", "Uruchamianie przywracania…";
    RestoreStepRestoring => "Step 1 of 2: restoring the backup", "Krok 1 z 2: odtwarzanie kopii";
    RestoreStepImporting => "Step 2 of 2: creating the virtual machine", "Krok 2 z 2: tworzenie maszyny wirtualnej";
    RestoreDone => "Restored as {name}.", "Przywrócono jako {name}.";
    RestoreFailed => "The restore failed.", "Przywracanie nie powiodło się.";
    RestoreCancelled => "The restore was cancelled.", "Przywracanie zostało anulowane.";
    RestoreLost => "The restore task no longer exists on the server.", "Zadanie przywracania nie istnieje już na serwerze.";
    RestoreRecovered => "The server's answer was lost, but the restore task was found: it was not started twice.", "Odpowiedź serwera zaginęła, ale znaleziono zadanie przywracania: nie zostało uruchomione dwukrotnie.";
    RestoreChecking => "Checking with the server whether the restore started…", "Sprawdzanie na serwerze, czy przywracanie się rozpoczęło…";
    RestoreCopiesCancelled => "The restore request reached the server more than once; the extra restores were cancelled: {count}.", "Żądanie przywrócenia dotarło do serwera więcej niż raz; anulowano dodatkowe przywracania: {count}.";
    RestoreProgressLabel => "Restore progress", "Postęp przywracania";
    // Policy panel (PolicyPanel helper adds below this line)
    PolicyPanelLabel => "Backup policies", "Polityki kopii";
    PolicyNoPolicies => "There are no backup policies yet. Your backup administrator creates them.", "Nie ma jeszcze polityk kopii. Tworzy je administrator kopii zapasowych.";
    PolicyActive => "Active", "Aktywna";
    PolicyInactive => "Inactive: its schedules start no backups", "Nieaktywna: jej harmonogramy nie uruchamiają kopii";
    PolicyPriority => "Priority {priority}", "Priorytet {priority}";
    PolicyVmCount => "{count} VMs", "Maszyny: {count}";
    PolicyOfVm => "{vm} is backed up by the policy {policy}.", "Kopie maszyny {vm} tworzy polityka {policy}.";
    PolicyVmHasNone => "{vm} has no backup policy, so no schedule backs it up.", "Maszyna {vm} nie ma polityki kopii, więc żaden harmonogram nie tworzy jej kopii.";
    PolicyAssignThisVm => "Assign this VM", "Przypisz tę maszynę";
    PolicyUnassignThisVm => "Remove this VM", "Odłącz tę maszynę";
    PolicyRules => "Rules", "Reguły";
    PolicyNoRules => "This policy has no rules, so its VMs are not backed up. Ask your backup administrator to add one.", "Ta polityka nie ma reguł, więc jej maszyny nie mają kopii. Poproś administratora kopii o dodanie reguły.";
    PolicyRuleInactive => "inactive", "nieaktywna";
    PolicyRuleSchedules => "Schedules:", "Harmonogramy:";
    PolicyRuleNoSchedules => "none — backups only when started by hand", "brak — kopie tylko uruchamiane ręcznie";
    PolicyRuleDestinations => "Stored at:", "Miejsce zapisu:";
    PolicyRolePrimary => "primary", "główne";
    PolicyRoleSecondary => "secondary", "dodatkowe";
    PolicyRoleArchive => "archive", "archiwum";
    PolicyVms => "Assigned VMs ({count})", "Przypisane maszyny ({count})";
    PolicyNoVms => "No VMs are assigned to this policy.", "Do tej polityki nie przypisano maszyn.";
    PolicyFilterVms => "Filter the assigned VMs", "Filtruj przypisane maszyny";
    PolicyMoreVms => "…and {count} more: filter by name to find them.", "…i jeszcze {count}: filtruj po nazwie, aby je znaleźć.";
    PolicyUnassign => "Remove from policy", "Odłącz od polityki";
    PolicyUnassignLabel => "Remove {vm} from {policy}", "Odłącz {vm} od polityki {policy}";
    PolicyUnassignTitle => "Remove a VM from a policy", "Odłączanie maszyny od polityki";
    PolicyUnassignConfirm => "Remove {vm} from the policy {policy}? Its backups will no longer start on this policy's schedules.", "Odłączyć {vm} od polityki {policy}? Jej kopie przestaną być tworzone według harmonogramów tej polityki.";
    PolicyAssignTitle => "Assign VMs", "Przypisywanie maszyn";
    PolicyAssignMoves => "A VM belongs to one policy at most: assigning it here removes it from its current policy.", "Maszyna należy najwyżej do jednej polityki: przypisanie jej tutaj odłącza ją od obecnej.";
    PolicyFindVm => "Find a VM by name", "Znajdź maszynę po nazwie";
    PolicySearchResults => "VMs found", "Znalezione maszyny";
    PolicyAssign => "Assign", "Przypisz";
    PolicyAssignLabel => "Assign {vm} to {policy}", "Przypisz {vm} do polityki {policy}";
    PolicyAlreadyHere => "in this policy", "w tej polityce";
    PolicyNowIn => "now in {policy}", "obecnie w {policy}";
    PolicyAssigned => "{vm} assigned to the policy {policy}.", "Przypisano {vm} do polityki {policy}.";
    PolicyUnassigned => "{vm} removed from the policy {policy}.", "Odłączono {vm} od polityki {policy}.";
    PolicySharedReadOnly => "Shared by all projects: only a backup administrator can assign or remove its VMs.", "Wspólna dla wszystkich projektów: maszyny przypisuje do niej i odłącza tylko administrator kopii zapasowych.";
    PolicyReadOnly => "You can see the policies but not change them: ask your backup administrator.", "Możesz przeglądać polityki, ale nie zmieniać ich: poproś o to administratora kopii zapasowych.";
}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_value_in_once_and_leaves_values_alone() {
        let filled = Msg::TaskOtherOf.fill(Lang::En, &[("kind", "{vm}"), ("vm", "web {kind} <b>")]);
        assert_eq!(filled, "{vm} of web {kind} <b>");
        // A placeholder given no value stays as written.
        assert_eq!(Msg::TaskNumbered.fill(Lang::En, &[]), Msg::TaskNumbered.text(Lang::En));
        assert_eq!(Msg::TasksCreated.fill(Lang::Pl, &[("count", "3")]), "Utworzono zadania kopii: 3");
    }

    #[test]
    fn each_message_reads_its_own_text_from_the_one_string() {
        assert_eq!(Msg::Loading.text(Lang::En), "Loading…");
        assert_eq!(Msg::Loading.text(Lang::Pl), "Wczytywanie…");
        assert_eq!(Msg::Retry.text(Lang::En), "Try again");
        // The last English text ends where the first Polish one starts.
        assert_eq!(
            Msg::PolicyReadOnly.text(Lang::En),
            "You can see the policies but not change them: ask your backup administrator."
        );
        assert_eq!(Msg::Loading.text(Lang::Pl), "Wczytywanie…");
        assert_eq!(
            Msg::PolicyReadOnly.text(Lang::Pl),
            "Możesz przeglądać polityki, ale nie zmieniać ich: poproś o to administratora kopii zapasowych."
        );
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        assert_eq!(catalog_problems(Msg::ALL), Vec::<String>::new());
    }

    #[test]
    fn catalog_problems_names_each_kind_of_problem() {
        catalog! {
            enum Faulty {
                Same => "Same", "Same";
                Empty => "Text", " ";
                Placeholder => "{a} and {b}", "{a} i {c}";
                Fine => "{n} VMs", "{n} maszyn";
            }
        }
        let problems = catalog_problems(Faulty::ALL);
        assert_eq!(
            problems,
            [
                "Same is the same in English and Polish",
                "Empty is empty in Pl",
                "Placeholder has other placeholders in Polish",
            ]
        );
    }

    #[test]
    fn languages_are_read_from_tags() {
        assert_eq!(Lang::parse("pl"), Lang::Pl);
        assert_eq!(Lang::parse("PL_pl"), Lang::Pl);
        assert_eq!(Lang::parse("en-US"), Lang::En);
        assert_eq!(Lang::parse("de"), Lang::En);
        assert_eq!(Lang::parse(""), Lang::En);
    }
}
