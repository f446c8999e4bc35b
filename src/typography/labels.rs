//! Words the book itself prints (headings, landmarks, link labels), per language.

/// The labels of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    pub endnotes: &'static str,
    pub contents: &'static str,
    pub about_interviewee: &'static str,
    pub cover: &'static str,
    pub title_page: &'static str,
    pub start_of_text: &'static str,
    /// Accessible name of a note's link back to its reference.
    pub back_to_text: &'static str,
    /// Accessible name of a note reference ("Note 3").
    pub note: &'static str,
    /// Before the interviewer's name.
    pub interview_by: &'static str,
    /// Before the editors' names on the title page of a book without authors.
    pub edited_by: &'static str,
    /// Before the interviewee's name on title pages ("An interview with"). Russian
    /// and Kazakh use a label with a colon, which needs no grammatical case.
    pub interview_with: &'static str,
    pub page: &'static str,
    pub page_list: &'static str,
    pub landmarks: &'static str,
    /// Joins the last two names of a list.
    pub and: &'static str,
}

const EN: Labels = Labels {
    endnotes: "Endnotes",
    contents: "Contents",
    about_interviewee: "About the interviewee",
    cover: "Cover",
    title_page: "Title page",
    start_of_text: "Start of text",
    back_to_text: "Back to text",
    note: "Note",
    interview_by: "Interview by",
    edited_by: "Edited by",
    interview_with: "An interview with",
    page: "Page",
    page_list: "Pages",
    landmarks: "Landmarks",
    and: "and",
};

const RU: Labels = Labels {
    endnotes: "Примечания",
    contents: "Содержание",
    about_interviewee: "О собеседнике",
    cover: "Обложка",
    title_page: "Титульный лист",
    start_of_text: "Начало текста",
    back_to_text: "Вернуться к тексту",
    note: "Примечание",
    interview_by: "Интервьюер:",
    edited_by: "Под редакцией",
    interview_with: "Собеседник:",
    page: "Страница",
    page_list: "Страницы",
    landmarks: "Ориентиры",
    and: "и",
};

const KK: Labels = Labels {
    endnotes: "Ескертпелер",
    contents: "Мазмұны",
    about_interviewee: "Сұхбат беруші туралы",
    cover: "Мұқаба",
    title_page: "Титул беті",
    start_of_text: "Мәтіннің басы",
    back_to_text: "Мәтінге оралу",
    note: "Ескертпе",
    interview_by: "Сұхбат алған:",
    edited_by: "Редакторлары:",
    interview_with: "Сұхбат беруші:",
    page: "Бет",
    page_list: "Беттер",
    landmarks: "Бағдарлар",
    and: "және",
};

/// Labels for a primary language subtag; English for languages without a
/// translation yet.
pub fn labels(primary: &str) -> &'static Labels {
    match primary {
        "ru" => &RU,
        "kk" => &KK,
        _ => &EN,
    }
}

/// "A", "A and B", "A, B and C" in the given language.
pub fn join_names(names: &[String], primary: &str) -> String {
    let and = labels(primary).and;
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_language() {
        assert_eq!(labels("en").endnotes, "Endnotes");
        assert_eq!(labels("ru").contents, "Содержание");
        assert_eq!(labels("kk").endnotes, "Ескертпелер");
        assert_eq!(labels("de").endnotes, "Endnotes");
    }

    #[test]
    fn names() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_names(&n(&["A", "B", "C"]), "en"), "A, B and C");
        assert_eq!(join_names(&n(&["А", "Б"]), "ru"), "А и Б");
    }
}
