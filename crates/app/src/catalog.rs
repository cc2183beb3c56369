//! The app's own texts, in English and Polish, beside the widgets' catalog ([`vmbackup_ui::i18n::Msg`]): a portal
//! page of widgets does not download the login page's or the navigation's words.

vmbackup_ui::catalog! {
    /// A text of the standalone app's own pages (login, navigation, schedules page).
    pub enum AppMsg {
        AppTitle => "VM backup", "Kopie maszyn wirtualnych";
        LoginTitle => "Log in to the backup server", "Zaloguj się do serwera kopii";
        Username => "User name", "Nazwa użytkownika";
        Password => "Password", "Hasło";
        LogIn => "Log in", "Zaloguj";
        LoggingIn => "Logging in…", "Logowanie…";
        LogOut => "Log out", "Wyloguj";
        NavVms => "Virtual machines", "Maszyny wirtualne";
        NavTasks => "Tasks", "Zadania";
        NavSchedules => "Schedules", "Harmonogramy";
        NavPolicies => "Policies", "Polityki";
        MainNavigation => "Main navigation", "Nawigacja główna";
        Language => "Language", "Język";
        DarkTheme => "Dark theme", "Ciemny motyw";
        SelectVmHint => "Select a VM in the table to see its backups, back it up or restore it.", "Zaznacz maszynę w tabeli, aby zobaczyć jej kopie, utworzyć kopię lub ją przywrócić.";
        SchedulesExisting => "Existing schedules", "Istniejące harmonogramy";
        SchedulesNone => "There are no schedules yet.", "Nie ma jeszcze harmonogramów.";
        SchedulesColActive => "Active", "Aktywny";
        SchedulesColActions => "Actions", "Działania";
        ScheduleEditNamed => "Edit {name}", "Edytuj {name}";
        ScheduleViewNamed => "View {name}", "Pokaż {name}";
        View => "View", "Pokaż";
        ScheduleDeleteNamed => "Delete {name}", "Usuń {name}";
        SessionExpiredLogin => "Your session has expired. Log in again to continue where you were.", "Sesja wygasła. Zaloguj się ponownie, aby kontynuować tam, gdzie skończyłeś.";
        Edit => "Edit", "Edytuj";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmbackup_ui::i18n::{catalog_problems, Lang};

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        assert_eq!(catalog_problems(AppMsg::ALL), Vec::<String>::new());
    }

    #[test]
    fn texts_are_the_app_s_own() {
        assert_eq!(AppMsg::LogIn.text(Lang::Pl), "Zaloguj");
        assert_eq!(AppMsg::ScheduleDeleteNamed.fill(Lang::En, &[("name", "nightly")]), "Delete nightly");
    }
}
