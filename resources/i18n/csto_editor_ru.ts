<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AutosaveController</name>
    <message>
        <source>Unsaved changes</source>
        <translation>Есть несохранённые изменения</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Saved at %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <source>Text saved; not saved: %1</source>
        <translation>Текст сохранён; не сохранено: %1</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Конфликт</translation>
    </message>
    <message>
        <source>Loaded the saved version</source>
        <translation>Загружена сохранённая версия</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Someone else changed this item</source>
        <translation>Материал изменён другим пользователем</translation>
    </message>
    <message>
        <source>This item was saved elsewhere while you were editing it. Nothing has been overwritten yet.</source>
        <translation>Пока вы редактировали материал, его сохранили в другом месте. Пока ничего не перезаписано.</translation>
    </message>
    <message>
        <source>Keep mine: your text becomes the working copy, as a new revision (theirs stays in the history).
Load theirs: your unsaved changes are replaced by the saved text.</source>
        <translation>Оставить мой: ваш текст станет рабочей копией как новая редакция (чужая останется в истории).
Загрузить чужой: ваши несохранённые изменения заменятся сохранённым текстом.</translation>
    </message>
    <message>
        <source>Keep mine as a new revision</source>
        <translation>Оставить мой как новую редакцию</translation>
    </message>
    <message>
        <source>Load theirs</source>
        <translation>Загрузить чужой</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>Решить позже</translation>
    </message>
</context>
<context>
    <name>ContentTypes</name>
    <message>
        <source>News</source>
        <translation>Новость</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Заявление</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Выступление</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Интервью</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Статья</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
</context>
<context>
    <name>DailyBackup</name>
    <message>
        <source>Automatic backup failed: %1</source>
        <translation>Автоматическое резервное копирование не удалось: %1</translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>Резервная копия сохранена: %1</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a bundle</source>
        <translation>Выгрузка пакета</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>Что выгрузить</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <source>from</source>
        <translation>с</translation>
    </message>
    <message>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <source>Only changes since the last export</source>
        <translation>Только изменения после прошлой выгрузки</translation>
    </message>
    <message>
        <source>Sections (none: all)</source>
        <translation>Разделы (не выбраны — все)</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Языки</translation>
    </message>
    <message>
        <source>Event dates</source>
        <translation>Даты событий</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Куда</translation>
    </message>
    <message>
        <source>A new or earlier bundle folder, or a .zip file</source>
        <translation>Новая или прежняя папка пакета либо файл .zip</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>As one zip file</source>
        <translation>Одним файлом zip</translation>
    </message>
    <message>
        <source>The site&apos;s address from the database settings</source>
        <translation>Адрес сайта из настроек базы данных</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Назначение</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Базовый адрес (URL)</translation>
    </message>
    <message>
        <source>Press Check to see what would block the export.</source>
        <translation>Нажмите «Проверить», чтобы увидеть, что мешает выгрузке.</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Выгрузить</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Открыть папку</translation>
    </message>
    <message>
        <source>Pre-publication check</source>
        <translation>Проверка перед публикацией</translation>
    </message>
    <message>
        <source>Export to a zip file</source>
        <translation>Выгрузка в файл zip</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Файлы zip (*.zip)</translation>
    </message>
    <message>
        <source>Export into a folder</source>
        <translation>Выгрузка в папку</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>ОШИБКА</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>ПРЕДУПРЕЖДЕНИЕ</translation>
    </message>
    <message>
        <source>Choose at least one language.</source>
        <translation>Выберите хотя бы один язык.</translation>
    </message>
    <message>
        <source>%1: item %2: %3</source>
        <translation>%1: материал %2: %3</translation>
    </message>
    <message>
        <source>{items} items checked: {errors} errors, {warnings} warnings.</source>
        <translation>Проверено материалов: {items}; ошибок: {errors}, предупреждений: {warnings}.</translation>
    </message>
    <message>
        <source>Choose where to write the bundle.</source>
        <translation>Выберите, куда записать пакет.</translation>
    </message>
    <message>
        <source>Fix the errors listed above, then export.</source>
        <translation>Исправьте перечисленные выше ошибки и повторите выгрузку.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Выгрузка…</translation>
    </message>
    <message>
        <source>Exported {items} items to {out}: {added} added, {updated} updated, {removed} removed.</source>
        <translation>Выгружено в {out} материалов: {items}; добавлено: {added}, обновлено: {updated}, снято: {removed}.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>Выгрузка не удалась: {reason}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
</context>
<context>
    <name>FindReplaceBar</name>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Предыдущее совпадение (Shift+Enter)</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Следующее совпадение (Enter)</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>С учётом регистра</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>Слова целиком</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Закрыть (Esc)</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>Заменить на</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Заменить</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>Заменить все</translation>
    </message>
    <message numerus="yes">
        <source>%n replaced</source>
        <translation>
            <numerusform>Заменено: %n</numerusform>
            <numerusform>Заменено: %n</numerusform>
            <numerusform>Заменено: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Совпадений нет</translation>
    </message>
    <message>
        <source>{current} of {total}</source>
        <translation>{current} из {total}</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n совпадение</numerusform>
            <numerusform>%n совпадения</numerusform>
            <numerusform>%n совпадений</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Select a revision to see what it changed, or two revisions (Ctrl+click) to compare them.</source>
        <translation>Выберите редакцию, чтобы увидеть её изменения, или две редакции (Ctrl+щелчок), чтобы сравнить их.</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Редакция</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Автор</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Content hash</source>
        <translation>Хеш содержимого</translation>
    </message>
    <message>
        <source>Reviews and state</source>
        <translation>Рассмотрения и статус</translation>
    </message>
    <message>
        <source>Restore this revision…</source>
        <translation>Восстановить эту редакцию…</translation>
    </message>
    <message>
        <source>Make the selected revision the working copy again, as a new draft revision</source>
        <translation>Снова сделать выбранную редакцию рабочей копией — как новую редакцию-черновик</translation>
    </message>
    <message>
        <source>History of “%1”</source>
        <translation>История «%1»</translation>
    </message>
    <message>
        <source>Working copy</source>
        <translation>Рабочая копия</translation>
    </message>
    <message>
        <source>Autosaved, not yet a revision</source>
        <translation>Автосохранение, ещё не редакция</translation>
    </message>
    <message>
        <source>published</source>
        <translation>опубликовано</translation>
    </message>
    <message>
        <source>approved, publishable</source>
        <translation>утверждено, можно публиковать</translation>
    </message>
    <message>
        <source>current</source>
        <translation>текущая</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Утверждено</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>На доработке</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создано</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Импортировано</translation>
    </message>
    <message>
        <source>Autosave</source>
        <translation>Автосохранение</translation>
    </message>
    <message>
        <source>Save point</source>
        <translation>Контрольная точка</translation>
    </message>
    <message>
        <source>Submitted for review</source>
        <translation>Отправлено на рассмотрение</translation>
    </message>
    <message>
        <source>Restored an older revision</source>
        <translation>Восстановлена прежняя редакция</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>Отредактировано</translation>
    </message>
    <message>
        <source>Comparing %1 with %2</source>
        <translation>Сравнение: %1 и %2</translation>
    </message>
    <message>
        <source>{count} unchanged lines</source>
        <translation>Строк без изменений: {count}</translation>
    </message>
    <message>
        <source>No differences.</source>
        <translation>Различий нет.</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>the working copy</source>
        <translation>рабочая копия</translation>
    </message>
    <message>
        <source>revision %1</source>
        <translation>редакция %1</translation>
    </message>
    <message>
        <source>Restore revision %1</source>
        <translation>Восстановление редакции %1</translation>
    </message>
    <message>
        <source>Make revision %1 the working copy again? It becomes a new draft revision; nothing in the history is lost, and an approved text stays publishable until a newer one is approved.</source>
        <translation>Снова сделать редакцию %1 рабочей копией? Она станет новой редакцией-черновиком; в истории ничего не теряется, а утверждённый текст можно публиковать, пока не утверждён более новый.</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>Не удалось восстановить</translation>
    </message>
</context>
<context>
    <name>ImageDetailsDialog</name>
    <message>
        <source>Describe the image</source>
        <translation>Описание изображения</translation>
    </message>
    <message>
        <source>e.g. The Secretary General speaks at the conference in Minsk</source>
        <translation>напр. Генеральный секретарь выступает на конференции в Минске</translation>
    </message>
    <message>
        <source>Required. The alt text is read aloud to blind readers and shown when the image cannot load: say what the picture shows, in the item&apos;s language.</source>
        <translation>Обязательно. Альтернативный текст зачитывается незрячим читателям и показывается, если изображение не загрузилось: опишите, что на снимке, на языке материала.</translation>
    </message>
    <message>
        <source>Optional; shown under the image</source>
        <translation>Необязательно; показывается под изображением</translation>
    </message>
    <message>
        <source>Optional, e.g. Photo: CSTO press service</source>
        <translation>Необязательно, напр. Фото: пресс-служба ОДКБ</translation>
    </message>
    <message>
        <source>Alt text:</source>
        <translation>Альтернативный текст:</translation>
    </message>
    <message>
        <source>Caption:</source>
        <translation>Подпись:</translation>
    </message>
    <message>
        <source>Credit:</source>
        <translation>Автор снимка:</translation>
    </message>
    <message>
        <source>Insert image</source>
        <translation>Вставка изображения</translation>
    </message>
</context>
<context>
    <name>ImageInsertion</name>
    <message>
        <source>Insert image</source>
        <translation>Вставка изображения</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>Изображения (%1)</translation>
    </message>
    <message>
        <source>Cannot insert the image</source>
        <translation>Не удалось вставить изображение</translation>
    </message>
</context>
<context>
    <name>ImportRunner</name>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Импорт…</translation>
    </message>
    <message>
        <source>Import Word files, web pages, Markdown or text</source>
        <translation>Импортировать файлы Word, веб-страницы, Markdown или текст</translation>
    </message>
    <message>
        <source>Import files</source>
        <translation>Импорт файлов</translation>
    </message>
    <message>
        <source>Texts (%1)</source>
        <translation>Тексты (%1)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Чтение %1…</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Ничего не импортировано.</translation>
    </message>
    <message>
        <source>Select a section in the tree, then import again.</source>
        <translation>Выберите раздел в дереве и повторите импорт.</translation>
    </message>
</context>
<context>
    <name>InterfaceLanguage</name>
    <message>
        <source>Interface &amp;language</source>
        <translation>&amp;Язык интерфейса</translation>
    </message>
    <message>
        <source>As in the &amp;system</source>
        <translation>Как в &amp;системе</translation>
    </message>
    <message>
        <source>Applies when the editor next starts</source>
        <translation>Вступит в силу при следующем запуске редактора</translation>
    </message>
    <message>
        <source>The new interface language applies at the next start.</source>
        <translation>Новый язык интерфейса вступит в силу при следующем запуске.</translation>
    </message>
</context>
<context>
    <name>ItemForm</name>
    <message>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Место</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Выступающий</translation>
    </message>
    <message>
        <source>Occasion</source>
        <translation>Повод</translation>
    </message>
    <message>
        <source>Outlet</source>
        <translation>СМИ</translation>
    </message>
    <message>
        <source>Interviewee</source>
        <translation>Собеседник</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Адрес (slug)</translation>
    </message>
    <message>
        <source>Headline as it appears on the page</source>
        <translation>Заголовок, как он будет на странице</translation>
    </message>
    <message>
        <source>One or two sentences shown under the headline</source>
        <translation>Одно-два предложения под заголовком</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <source>Russian — Русский</source>
        <translation>Русский</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>page-address-in-latin</source>
        <translation>латиницей, напр. zasedanie-soveta</translation>
    </message>
    <message>
        <source>News</source>
        <translation>Новость</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Заявление</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Выступление</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Интервью</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Статья</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <source>Pick the date from a calendar</source>
        <translation>Выбрать дату в календаре</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>лид</translation>
    </message>
    <message>
        <source>The slug (the page address) must not be empty</source>
        <translation>Адрес страницы (slug) не может быть пустым</translation>
    </message>
    <message>
        <source>The slug %1 is the name of a file in every bundle; choose another</source>
        <translation>Адрес %1 совпадает с именем файла, который есть в каждом пакете; выберите другой</translation>
    </message>
    <message>
        <source>The slug may hold only lowercase Latin letters, digits and hyphens, e.g. %1</source>
        <translation>Адрес может содержать только строчные латинские буквы, цифры и дефисы, напр. %1</translation>
    </message>
    <message>
        <source>Write the date as YYYY-MM-DD, e.g. %1</source>
        <translation>Укажите дату в виде ГГГГ-ММ-ДД, напр. %1</translation>
    </message>
    <message>
        <source>There is no day %1 in the calendar</source>
        <translation>Дня %1 в календаре нет</translation>
    </message>
    <message>
        <source>The year must be between %1 and %2; check it</source>
        <translation>Год должен быть от %1 до %2; проверьте его</translation>
    </message>
    <message>
        <source>These fields are not saved until they are corrected.</source>
        <translation>Эти поля не сохранятся, пока их не исправят.</translation>
    </message>
    <message>
        <source>needed before publication</source>
        <translation>нужно для публикации</translation>
    </message>
</context>
<context>
    <name>ItemHeader</name>
    <message>
        <source>Edit as a new draft</source>
        <translation>Править как новый черновик</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Черновик</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>На рассмотрении</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>На доработке</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Утверждено</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Опубликовано</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Отозвано</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>автор: %1</translation>
    </message>
    <message>
        <source>%1 — read-only for now. Editing starts a new draft; the approved text stays publishable until a newer one is approved.</source>
        <translation>%1 — пока только для чтения. Правка начнёт новый черновик; утверждённый текст можно публиковать, пока не утверждён более новый.</translation>
    </message>
    <message>
        <source>You can read this item; editing it needs the author role.</source>
        <translation>Вы можете читать этот материал; для правки нужна роль автора.</translation>
    </message>
</context>
<context>
    <name>ItemListPanel</name>
    <message>
        <source>Search titles, leads and text…</source>
        <translation>Поиск по заголовкам, лидам и тексту…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Все языки</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <source>Waiting for my review</source>
        <translation>Ждут моего рассмотрения</translation>
    </message>
    <message>
        <source>Items in review that someone else wrote</source>
        <translation>Материалы других авторов на рассмотрении</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Интервью</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>На доработке</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n материал</numerusform>
            <numerusform>%n материала</numerusform>
            <numerusform>%n материалов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) or more, counting…</source>
        <translation>
            <numerusform>%n материал или больше, идёт подсчёт…</numerusform>
            <numerusform>%n материала или больше, идёт подсчёт…</numerusform>
            <numerusform>%n материалов или больше, идёт подсчёт…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ItemPanel</name>
    <message>
        <source>Choose an item in the list, or create one with New item (Ctrl+N).</source>
        <translation>Выберите материал в списке или создайте новый: «Новый материал» (Ctrl+N).</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Без заголовка</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Есть несохранённые изменения</translation>
    </message>
    <message>
        <source>Your latest changes to this item could not be saved:
%1</source>
        <translation>Последние изменения этого материала не удалось сохранить:
%1</translation>
    </message>
    <message>
        <source>This item is in review.</source>
        <translation>Материал на рассмотрении.</translation>
    </message>
    <message>
        <source>This item is approved.</source>
        <translation>Материал утверждён.</translation>
    </message>
    <message>
        <source>This item is published.</source>
        <translation>Материал опубликован.</translation>
    </message>
    <message>
        <source>Start a new draft?</source>
        <translation>Начать новый черновик?</translation>
    </message>
    <message>
        <source>Editing starts a new draft; the approved text stays publishable until a newer one is approved. Continue?</source>
        <translation>Правка начнёт новый черновик; утверждённый текст можно публиковать, пока не утверждён более новый. Продолжить?</translation>
    </message>
    <message>
        <source>not saved: %1</source>
        <translation>не сохранено: %1</translation>
    </message>
    <message>
        <source>Cannot open the item</source>
        <translation>Не удалось открыть материал</translation>
    </message>
    <message>
        <source>Restored as a new draft revision.</source>
        <translation>Восстановлено как новая редакция-черновик.</translation>
    </message>
</context>
<context>
    <name>ItemSteps</name>
    <message>
        <source>Cannot make a save point</source>
        <translation>Не удалось создать контрольную точку</translation>
    </message>
    <message>
        <source>Save point made: the text is in the history.</source>
        <translation>Контрольная точка создана: текст сохранён в истории.</translation>
    </message>
    <message>
        <source>Cannot submit</source>
        <translation>Не удалось отправить на рассмотрение</translation>
    </message>
    <message>
        <source>Submitted for review.</source>
        <translation>Отправлено на рассмотрение.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Утвердить</translation>
    </message>
    <message>
        <source>Comment for the author (optional):</source>
        <translation>Комментарий для автора (необязательно):</translation>
    </message>
    <message>
        <source>Cannot approve</source>
        <translation>Не удалось утвердить</translation>
    </message>
    <message>
        <source>Approved: this revision may now be published.</source>
        <translation>Утверждено: эту редакцию теперь можно публиковать.</translation>
    </message>
    <message>
        <source>Request changes</source>
        <translation>Вернуть на доработку</translation>
    </message>
    <message>
        <source>What should the author change?</source>
        <translation>Что автору следует изменить?</translation>
    </message>
    <message>
        <source>Cannot request changes</source>
        <translation>Не удалось вернуть на доработку</translation>
    </message>
    <message>
        <source>Say what the author should change.</source>
        <translation>Укажите, что автору следует изменить.</translation>
    </message>
    <message>
        <source>Sent back to the author with your comment.</source>
        <translation>Возвращено автору с вашим комментарием.</translation>
    </message>
    <message>
        <source>Your latest changes are not saved yet (%1); nothing was done.</source>
        <translation>Последние изменения ещё не сохранены (%1); ничего не сделано.</translation>
    </message>
</context>
<context>
    <name>ItemTableModel</name>
    <message>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Lang.</source>
        <translation>Яз.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Автор</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Изменено</translation>
    </message>
    <message>
        <source>News</source>
        <translation>Новость</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Заявление</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Выступление</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Интервью</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Статья</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <source>(deleted meanwhile)</source>
        <translation>(уже удалён)</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Черновик</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>На рассмотрении</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>На доработке</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Утверждено</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Опубликовано</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Отозвано</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>%1 — read-only</source>
        <translation>%1 — только чтение</translation>
    </message>
    <message>
        <source>Read-only: %1; changes cannot be saved</source>
        <translation>Только чтение: %1; изменения не сохранятся</translation>
    </message>
    <message>
        <source>Copy the database somewhere writable, or fix its permissions, to edit.</source>
        <translation>Чтобы редактировать, скопируйте базу данных в доступное для записи место или исправьте права доступа.</translation>
    </message>
    <message>
        <source>CSTO Editor — %1</source>
        <translation>Редактор ОДКБ — %1</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Разделы</translation>
    </message>
    <message>
        <source>Open item</source>
        <translation>Открытие материала</translation>
    </message>
    <message>
        <source>New item</source>
        <translation>Новый материал</translation>
    </message>
    <message>
        <source>Add a section first: right-click the tree.</source>
        <translation>Сначала добавьте раздел: щёлкните правой кнопкой по дереву разделов.</translation>
    </message>
    <message>
        <source>Saved at %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <source>%1 — no account in this database</source>
        <translation>%1 — нет учётной записи в этой базе данных</translation>
    </message>
    <message>
        <source>Who you are, and your roles</source>
        <translation>Кто вы и ваши роли</translation>
    </message>
    <message>
        <source>%1 words · %2 characters</source>
        <translation>Слов: %1 · знаков: %2</translation>
    </message>
    <message>
        <source>CSTO Editor</source>
        <translation>Редактор ОДКБ</translation>
    </message>
    <message>
        <source>About CSTO Editor</source>
        <translation>О программе «Редактор ОДКБ»</translation>
    </message>
    <message>
        <source>&lt;b&gt;CSTO Editor&lt;/b&gt;&lt;br&gt;Drafting, review and export of the web content of the Collective Security Treaty Organization&apos;s press office.</source>
        <translation>&lt;b&gt;Редактор ОДКБ&lt;/b&gt;&lt;br&gt;Подготовка, рассмотрение и выгрузка материалов сайта пресс-службы Организации Договора о коллективной безопасности.</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Сохранение</translation>
    </message>
    <message>
        <source>&amp;New item</source>
        <translation>&amp;Новый материал</translation>
    </message>
    <message>
        <source>&amp;Save point</source>
        <translation>&amp;Контрольная точка</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <source>&amp;Bold</source>
        <translation>&amp;Полужирный</translation>
    </message>
    <message>
        <source>&amp;Italic</source>
        <translation>&amp;Курсив</translation>
    </message>
    <message>
        <source>&amp;Heading</source>
        <translation>&amp;Заголовок</translation>
    </message>
    <message>
        <source>&amp;Link…</source>
        <translation>&amp;Ссылка…</translation>
    </message>
    <message>
        <source>&amp;Quote</source>
        <translation>&amp;Цитата</translation>
    </message>
    <message>
        <source>B&amp;ullet list</source>
        <translation>&amp;Маркированный список</translation>
    </message>
    <message>
        <source>N&amp;umbered list</source>
        <translation>&amp;Нумерованный список</translation>
    </message>
    <message>
        <source>Insert &amp;image…</source>
        <translation>Вставить &amp;изображение…</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Найти…</translation>
    </message>
    <message>
        <source>R&amp;eplace…</source>
        <translation>&amp;Заменить…</translation>
    </message>
    <message>
        <source>Su&amp;bmit for review</source>
        <translation>&amp;Отправить на рассмотрение</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Утвердить</translation>
    </message>
    <message>
        <source>Request &amp;changes…</source>
        <translation>Вернуть на &amp;доработку…</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;История…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Выгрузка…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Обновить</translation>
    </message>
    <message>
        <source>&amp;About CSTO Editor</source>
        <translation>&amp;О программе</translation>
    </message>
    <message>
        <source>&amp;English</source>
        <translation>&amp;Английские</translation>
    </message>
    <message>
        <source>&amp;Russian (Русский)</source>
        <translation>&amp;Русские</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>F&amp;ormat</source>
        <translation>Ф&amp;ормат</translation>
    </message>
    <message>
        <source>&amp;Item</source>
        <translation>&amp;Материал</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Section names</source>
        <translation>&amp;Названия разделов</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Main tool bar</source>
        <translation>Основная панель инструментов</translation>
    </message>
</context>
<context>
    <name>MarkdownEditor</name>
    <message>
        <source>Write the text in Markdown…</source>
        <translation>Пишите текст в разметке Markdown…</translation>
    </message>
    <message>
        <source>link text</source>
        <translation>текст ссылки</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>The preview could not be updated: {error}</source>
        <translation>Не удалось обновить предпросмотр: {error}</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>author</source>
        <translation>автор</translation>
    </message>
    <message>
        <source>reviewer</source>
        <translation>рецензент</translation>
    </message>
    <message>
        <source>exporter</source>
        <translation>выпускающий</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>администратор</translation>
    </message>
</context>
<context>
    <name>SectionDialog</name>
    <message>
        <source>Rename section</source>
        <translation>Переименование раздела</translation>
    </message>
    <message>
        <source>New section</source>
        <translation>Новый раздел</translation>
    </message>
    <message>
        <source>e.g. press-releases</source>
        <translation>напр. press-releases</translation>
    </message>
    <message>
        <source>(top level)</source>
        <translation>(верхний уровень)</translation>
    </message>
    <message>
        <source>Slug:</source>
        <translation>Адрес (slug):</translation>
    </message>
    <message>
        <source>English name:</source>
        <translation>Название на английском:</translation>
    </message>
    <message>
        <source>Russian name:</source>
        <translation>Название на русском:</translation>
    </message>
    <message>
        <source>Inside:</source>
        <translation>Внутри раздела:</translation>
    </message>
    <message>
        <source>Default type:</source>
        <translation>Тип по умолчанию:</translation>
    </message>
</context>
<context>
    <name>SectionTreeModel</name>
    <message>
        <source>All sections</source>
        <translation>Все разделы</translation>
    </message>
    <message numerus="yes">
        <source>Every item in every section: %n item(s)</source>
        <translation>
            <numerusform>Все материалы всех разделов: %n</numerusform>
            <numerusform>Все материалы всех разделов: %n</numerusform>
            <numerusform>Все материалы всех разделов: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) in this section</source>
        <translation>
            <numerusform>%n материал в этом разделе</numerusform>
            <numerusform>%n материала в этом разделе</numerusform>
            <numerusform>%n материалов в этом разделе</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with its subsections</source>
        <translation>
            <numerusform>%n с подразделами</numerusform>
            <numerusform>%n с подразделами</numerusform>
            <numerusform>%n с подразделами</numerusform>
        </translation>
    </message>
    <message>
        <source>Section</source>
        <translation>Раздел</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Материалы</translation>
    </message>
</context>
<context>
    <name>SectionTreeView</name>
    <message>
        <source>Delete section</source>
        <translation>Удаление раздела</translation>
    </message>
    <message>
        <source>Delete the section “%1”?</source>
        <translation>Удалить раздел «%1»?</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Разделы</translation>
    </message>
    <message>
        <source>New section…</source>
        <translation>Новый раздел…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Only an administrator changes sections</source>
        <translation>Изменять разделы может только администратор</translation>
    </message>
</context>
<context>
    <name>SpellChecking</name>
    <message>
        <source>No suggestions</source>
        <translation>Нет вариантов</translation>
    </message>
    <message>
        <source>Add “%1” to dictionary</source>
        <translation>Добавить «%1» в словарь</translation>
    </message>
    <message>
        <source>Check &amp;spelling</source>
        <translation>Проверять &amp;орфографию</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>The database was restored from %1.
The damaged file was kept as %2.</source>
        <translation>База данных восстановлена из %1.
Повреждённый файл сохранён как %2.</translation>
    </message>
    <message>
        <source>Restore the newest automatic backup (%1) now? Changes made after it was taken are lost; the damaged file is kept as a safety copy.</source>
        <translation>Восстановить последнюю автоматическую резервную копию (%1)? Изменения, сделанные после её создания, будут потеряны; повреждённый файл сохранится как страховочная копия.</translation>
    </message>
    <message>
        <source>Restore the backup</source>
        <translation>Восстановить из копии</translation>
    </message>
</context>
</TS>
